import { z } from 'zod';
import { container } from '../shared/adapters/container';
import { slaReportOf } from '../shared/domain/interruptions/interruption-service';
import { slaReportToCsv } from '../shared/domain/sla';
import { httpHandler } from '../shared/http/handler';
import { parsePath, parseQuery, principalOf } from '../shared/http/request';
import { json, text } from '../shared/http/response';
import { UlidSchema } from '../shared/schemas/common';
import { SlaReportQuerySchema } from '../shared/schemas/interruption';

const deps = container();
const PathSchema = z.object({ contractId: UlidSchema });

export const handler = httpHandler(async (event) => {
  const { contractId } = parsePath(event, PathSchema);
  const { year, format } = parseQuery(event, SlaReportQuerySchema);
  const { contract, report } = await slaReportOf(deps, principalOf(event), contractId, year);
  if (format === 'csv') {
    const filename = `sla-${contract.contractNumber.replace(/[^\w.-]+/g, '_')}-${year}.csv`;
    return text(200, slaReportToCsv(report), 'text/csv; charset=utf-8', { 'content-disposition': `attachment; filename="${filename}"` });
  }
  return json(200, { contractId, clientId: contract.clientId, ...report });
});
