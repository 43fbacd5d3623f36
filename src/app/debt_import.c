/* debt_import.c: being written (placeholder so the tree builds). */
typedef int pc_placeholder_debt_import_c;
