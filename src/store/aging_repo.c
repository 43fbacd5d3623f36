/* aging_repo.c: being written (placeholder so the tree builds). */
typedef int pc_placeholder_aging_repo_c;
