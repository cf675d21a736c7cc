/**
 * The one text order vprov sorts by wherever the order reaches a host or a report: set names and
 * rules in the rendered nftables table, set elements, hosts in merged reports. A fixed locale:
 * with the user's own (Node takes it from LANG/LC_ALL), an admin whose locale sorts "aa" after
 * "z" (da_DK) or "y" with "i" (lt_LT) would render another table than the scheduled drift check
 * running under C, and each would see the other's file as drift. en-US is what every run under
 * C, POSIX or an English locale used before, so existing hosts keep their files byte for byte.
 */
let collator: Intl.Collator | undefined;

export function compareText(a: string, b: string): number {
  // Made on first use: creating it costs ≈10 ms, and many runs never compare text.
  return (collator ??= new Intl.Collator('en-US')).compare(a, b);
}
