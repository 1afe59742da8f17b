/**
 * `percent` % of an amount in cents, rounded to the nearest cent (half up). With integer
 * cents and integer percents the product is exact and the division by 100 is correctly
 * rounded by IEEE-754, so .5 cases are really .5.
 */
export function percentOfCents(cents: number, percent: number): number {
  return Math.round((cents * percent) / 100);
}

/** Cents as euros with two decimals and a '.' separator, without going through floats. */
export function formatEuros(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(Math.trunc(cents));
  return `${sign}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}
