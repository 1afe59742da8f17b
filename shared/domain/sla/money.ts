/**
 * `percent` % of an amount in cents, rounded to the nearest cent (half up). With integer
 * cents and integer percents the product is exact and the division by 100 is correctly
 * rounded by IEEE-754, so .5 cases are really .5.
 */
export function percentOfCents(cents: number, percent: number): number {
  return Math.round((cents * percent) / 100);
}

/**
 * `times` × the mean of `amounts` (cents), rounded to the nearest cent, half up. The numerator
 * is an exact integer and a quotient by at most a dozen months that truly ends in .5 is
 * represented exactly, so `Math.round` rounds the real value. Empty `amounts` have no mean.
 */
export function multipleOfMeanCents(amounts: readonly number[], times: number): number {
  if (amounts.length === 0) throw new RangeError('the mean of no amounts is undefined');
  const total = amounts.reduce((sum, cents) => sum + cents, 0);
  return Math.round((times * total) / amounts.length);
}

/** Cents as euros with two decimals and a '.' separator, without going through floats. */
export function formatEuros(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(Math.trunc(cents));
  return `${sign}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}
