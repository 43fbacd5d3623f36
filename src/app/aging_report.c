/* aging_report.c: being written (placeholder so the tree builds). */
typedef int pc_placeholder_aging_report_c;
