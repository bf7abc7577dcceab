/* SPDX-License-Identifier: MIT */
/*
 * barebpf.h - umbrella header for library users:
 *   cc prog.c $(pkg-config --cflags --libs barebpf)
 */
#ifndef BAREBPF_H
#define BAREBPF_H

#include "common/bb.h"
#include "isa/isa.h"
#include "interp/vm.h"
#include "btf/btf.h"
#include "elf/obj.h"
#include "loader/ldr.h"

#endif
