/* aging_xlsx.c: being written (placeholder so the tree builds). */
typedef int pc_placeholder_aging_xlsx_c;
