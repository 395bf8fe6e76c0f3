// BP_MINSIZE marks functions that run once per click or only while a teaching switch is on (the step-through,
// the broken equations, principal directions): clang's `minsize` optimises them for size, not speed, and
// `noinline` keeps them from being copied into their callers (the embind wrappers). The page's wasm is part
// of its first load, which is nearly at its budget; the hot loops (network.cpp) stay -O3.
// (Per function, not a per-file -Os: a file at -Os would also emit -Os copies of the Eigen templates it
// instantiates, and the linker may keep those for the training loop too.)
#pragma once

#if defined(__clang__)
#define BP_MINSIZE __attribute__((minsize, noinline))
#else
#define BP_MINSIZE
#endif
