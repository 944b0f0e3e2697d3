using System.Runtime.CompilerServices;

namespace PolicyEngine.Limits;

/// <summary>64 bytes: one cache line on x64 and on most Arm cores.</summary>
[InlineArray(8)]
internal struct CacheLine
{
    private long _element;
}
