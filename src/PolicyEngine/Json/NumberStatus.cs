namespace PolicyEngine.Json;

/// <summary>What parsing a JSON number's text gave.</summary>
internal enum NumberStatus : byte
{
    /// <summary>Not a JSON number (<c>" 2"</c>, <c>"0x10"</c>, <c>"1,000"</c>, <c>"NaN"</c>…).</summary>
    NotANumber,

    /// <summary>A JSON number held exactly in a <see cref="decimal"/>.</summary>
    Exact,

    /// <summary>A JSON number the engine cannot hold exactly (<c>1e400</c>, 29+ significant digits, scale past 28).</summary>
    OutOfRange,
}
