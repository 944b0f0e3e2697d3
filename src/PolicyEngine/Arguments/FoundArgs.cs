using System.Runtime.CompilerServices;

namespace PolicyEngine.Arguments;

/// <summary>The arguments the validator found for a plan's <see cref="WantedArgs"/>, on the stack.</summary>
[InlineArray(ArgSlot.Capacity)]
internal struct FoundArgs
{
    private FoundArg _first;
}
