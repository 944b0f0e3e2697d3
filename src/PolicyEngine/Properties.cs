using System.Runtime.CompilerServices;

// Scratch buffers on the hot path (stackalloc) are always written before they are read; zero-filling them cost more than the work.
[module: SkipLocalsInit]
