// Debt old enough to age for the debt and phân kỳ specs (the fixture's clock is 2025-07-25):
// PA01010000102 (residential, unit PA0101) billed for 2024-02, 2024-03 and 2025-01…03, none
// paid, so its debt lies in the buckets 3–6 months, 6–12 months and 1–2 years; PA01020000104
// (administrative, unit PA0102) read at 60,000 kWh a month, which needs 2 periods a month where
// its contract has 1 (a phân kỳ exception); PA01020000201 (production, PA0102), a new AMR meter
// read twice a month automatically in March 2025 at 2,100 kWh, which needs 1 period where its
// contract has 2. Added once per test database, by the CLI.
export const AS_OF = '2025-07-25';
export const OLD = 'PA01010000102';
export const BIG = 'PA01020000104';
export const AMR = 'PA01020000201';

export function ensureDebtData({ pc, sql }) {
  if (sql(`SELECT count(*) FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE c.code = '${OLD}'`) !== '0') return;
  for (const [d, v] of [['2024-01-01', 100], ['2024-02-01', 400], ['2024-03-01', 700], ['2025-01-01', 900], ['2025-02-01', 1100], ['2025-03-01', 1300]]) {
    pc('read', 'add', OLD, '--date', d, '--total', String(v));
  }
  for (const [d, v] of [['2024-12-03', 1000], ['2025-01-03', 61000], ['2025-02-03', 121000], ['2025-03-03', 181000]]) {
    pc('read', 'add', BIG, '--date', d, '--total', String(v));
  }
  pc('customer', 'add', AMR, '--name', 'Xưởng may Yên Bằng', '--address', 'Cụm công nghiệp Yên Bằng', '--purpose', 'production',
    '--voltage', '<6kV', '--meter', 'PA0000000201', '--amr', '--periods-per-month', '2', '--valid-from', '2024-01-01');
  pc('read', 'add', AMR, '--date', '2025-02-15', '--total', '0');
  pc('read', 'add', AMR, '--date', '2025-03-01', '--total', '1000', '--source', 'amr');
  pc('read', 'add', AMR, '--date', '2025-03-16', '--total', '2100', '--source', 'amr');
  for (const p of ['2024-02', '2024-03', '2025-01', '2025-02']) pc('bill', 'run', '--period', p, '--issue-date', `${p}-05`);
  pc('bill', 'run', '--period', '2025-03', '--issue-date', '2025-03-20');
}
