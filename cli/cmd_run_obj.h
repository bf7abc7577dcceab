/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_run_obj.h - `barebpf run FILE.o ...`: a program of an ELF
 * object run offline in the env/ environment.  cmd_run dispatches here
 * when FILE is an ELF object (argv[0] is "run").
 */
#ifndef BAREBPF_CLI_CMD_RUN_OBJ_H
#define BAREBPF_CLI_CMD_RUN_OBJ_H

int cmd_run_obj(int argc, char **argv);
void help_run_obj(void);

#endif
