/* case_repo.c: being written (placeholder so the tree builds). */
typedef int pc_placeholder_case_repo_c;
