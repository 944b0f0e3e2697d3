namespace PolicyEngine.Compilation;

/// <summary>Arrays sized for every item up front, so the usual case (every item compiles) allocates nothing more.</summary>
internal static class Arrays
{
    /// <summary>The first <paramref name="count"/> items: the array itself when it is full.</summary>
    public static T[] Trim<T>(T[] items, int count) => count == items.Length ? items : items[..count];
}
