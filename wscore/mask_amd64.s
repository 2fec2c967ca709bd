//go:build amd64 && !purego

#include "textflag.h"

// func maskBlocksSSE2(p unsafe.Pointer, n int, key uint64)
// n is a multiple of 16. Unaligned loads and stores (MOVOU) cost the same
// as aligned ones on the CPUs Go supports, so there is no alignment
// prologue.
TEXT ·maskBlocksSSE2(SB), NOSPLIT, $0-24
	MOVQ p+0(FP), DI
	MOVQ n+8(FP), CX
	MOVQ key+16(FP), X0
	PUNPCKLQDQ X0, X0
	CMPQ CX, $64
	JB   sse_tail

sse_loop:
	MOVOU 0(DI), X1
	MOVOU 16(DI), X2
	MOVOU 32(DI), X3
	MOVOU 48(DI), X4
	PXOR  X0, X1
	PXOR  X0, X2
	PXOR  X0, X3
	PXOR  X0, X4
	MOVOU X1, 0(DI)
	MOVOU X2, 16(DI)
	MOVOU X3, 32(DI)
	MOVOU X4, 48(DI)
	ADDQ  $64, DI
	SUBQ  $64, CX
	CMPQ  CX, $64
	JAE   sse_loop

sse_tail:
	CMPQ  CX, $16
	JB    sse_done
	MOVOU 0(DI), X1
	PXOR  X0, X1
	MOVOU X1, 0(DI)
	ADDQ  $16, DI
	SUBQ  $16, CX
	JMP   sse_tail

sse_done:
	RET

// func maskBlocksAVX2(p unsafe.Pointer, n int, key uint64)
// n is a multiple of 16: 128 bytes per iteration, then 32, then one 16.
TEXT ·maskBlocksAVX2(SB), NOSPLIT, $0-24
	MOVQ p+0(FP), DI
	MOVQ n+8(FP), CX
	MOVQ key+16(FP), X0
	VPBROADCASTQ X0, Y0
	CMPQ CX, $128
	JB   avx_tail32

avx_loop:
	VMOVDQU 0(DI), Y1
	VMOVDQU 32(DI), Y2
	VMOVDQU 64(DI), Y3
	VMOVDQU 96(DI), Y4
	VPXOR   Y0, Y1, Y1
	VPXOR   Y0, Y2, Y2
	VPXOR   Y0, Y3, Y3
	VPXOR   Y0, Y4, Y4
	VMOVDQU Y1, 0(DI)
	VMOVDQU Y2, 32(DI)
	VMOVDQU Y3, 64(DI)
	VMOVDQU Y4, 96(DI)
	ADDQ    $128, DI
	SUBQ    $128, CX
	CMPQ    CX, $128
	JAE     avx_loop

avx_tail32:
	CMPQ    CX, $32
	JB      avx_tail16
	VMOVDQU 0(DI), Y1
	VPXOR   Y0, Y1, Y1
	VMOVDQU Y1, 0(DI)
	ADDQ    $32, DI
	SUBQ    $32, CX
	JMP     avx_tail32

avx_tail16:
	CMPQ    CX, $16
	JB      avx_done
	VMOVDQU 0(DI), X1
	VPXOR   X0, X1, X1
	VMOVDQU X1, 0(DI)

avx_done:
	VZEROUPPER
	RET

// func cpuid(leaf, subleaf uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL leaf+0(FP), AX
	MOVL subleaf+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET

// func maskCopyBlocksSSE2(dst, src unsafe.Pointer, n int, key uint64)
// dst = src XOR key pattern, n a multiple of 16: one pass, no memmove.
TEXT ·maskCopyBlocksSSE2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ key+24(FP), X0
	PUNPCKLQDQ X0, X0
	CMPQ CX, $64
	JB   csse_tail

csse_loop:
	MOVOU 0(SI), X1
	MOVOU 16(SI), X2
	MOVOU 32(SI), X3
	MOVOU 48(SI), X4
	PXOR  X0, X1
	PXOR  X0, X2
	PXOR  X0, X3
	PXOR  X0, X4
	MOVOU X1, 0(DI)
	MOVOU X2, 16(DI)
	MOVOU X3, 32(DI)
	MOVOU X4, 48(DI)
	ADDQ  $64, SI
	ADDQ  $64, DI
	SUBQ  $64, CX
	CMPQ  CX, $64
	JAE   csse_loop

csse_tail:
	CMPQ  CX, $16
	JB    csse_done
	MOVOU 0(SI), X1
	PXOR  X0, X1
	MOVOU X1, 0(DI)
	ADDQ  $16, SI
	ADDQ  $16, DI
	SUBQ  $16, CX
	JMP   csse_tail

csse_done:
	RET

// func maskCopyBlocksAVX2(dst, src unsafe.Pointer, n int, key uint64)
TEXT ·maskCopyBlocksAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ key+24(FP), X0
	VPBROADCASTQ X0, Y0
	CMPQ CX, $128
	JB   cavx_tail32

cavx_loop:
	VMOVDQU 0(SI), Y1
	VMOVDQU 32(SI), Y2
	VMOVDQU 64(SI), Y3
	VMOVDQU 96(SI), Y4
	VPXOR   Y0, Y1, Y1
	VPXOR   Y0, Y2, Y2
	VPXOR   Y0, Y3, Y3
	VPXOR   Y0, Y4, Y4
	VMOVDQU Y1, 0(DI)
	VMOVDQU Y2, 32(DI)
	VMOVDQU Y3, 64(DI)
	VMOVDQU Y4, 96(DI)
	ADDQ    $128, SI
	ADDQ    $128, DI
	SUBQ    $128, CX
	CMPQ    CX, $128
	JAE     cavx_loop

cavx_tail32:
	CMPQ    CX, $32
	JB      cavx_tail16
	VMOVDQU 0(SI), Y1
	VPXOR   Y0, Y1, Y1
	VMOVDQU Y1, 0(DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $32, CX
	JMP     cavx_tail32

cavx_tail16:
	CMPQ    CX, $16
	JB      cavx_done
	VMOVDQU 0(SI), X1
	VPXOR   X0, X1, X1
	VMOVDQU X1, 0(DI)

cavx_done:
	VZEROUPPER
	RET
