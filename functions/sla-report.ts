import { container } from '../shared/adapters/container';
import { slaReportOf } from '../shared/domain/interruptions/interruption-service';
import { slaReportToCsv } from '../shared/domain/sla';
import { httpRoute } from '../shared/http/handler';
import { principalOf } from '../shared/http/request';
import { json, text } from '../shared/http/response';
import { ROUTE_INPUTS } from '../shared/http/route-inputs';

const deps = container();

export const handler = httpRoute(ROUTE_INPUTS['sla-report'], async ({ path: { contractId }, query: { year, format }, event }) => {
  const { contract, report } = await slaReportOf(deps, principalOf(event), contractId, year);
  if (format === 'csv') {
    const filename = `sla-${contract.contractNumber.replace(/[^\w.-]+/g, '_')}-${year}.csv`;
    return text(200, slaReportToCsv(report), 'text/csv; charset=utf-8', { 'content-disposition': `attachment; filename="${filename}"` });
  }
  return json(200, { contractId, clientId: contract.clientId, ...report });
});
