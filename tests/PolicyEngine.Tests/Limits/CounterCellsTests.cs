using System.Runtime.CompilerServices;
using PolicyEngine.Limits;

namespace PolicyEngine.Tests.Limits;

/// <summary>The fields every call writes stay a whole cache line away from both ends of the counter's cells, so no other object can share their lines.</summary>
public class CounterCellsTests
{
    private const int Line = 64;

    [Fact]
    public void Count_counter_cells_are_padded_on_both_sides() => AssertPadded<long>();

    [Fact]
    public void Cost_counter_cells_are_padded_on_both_sides() => AssertPadded<decimal>();

    private static void AssertPadded<T>()
        where T : struct
    {
        var cells = default(CounterCells<T>);
        ref byte start = ref Unsafe.As<CounterCells<T>, byte>(ref cells);
        int size = Unsafe.SizeOf<CounterCells<T>>();
        (string Name, nint Offset, int Size)[] hot =
        [
            (nameof(cells.Held), Unsafe.ByteOffset(ref start, ref Unsafe.As<int, byte>(ref cells.Held)), sizeof(int)),
            (nameof(cells.Head), Unsafe.ByteOffset(ref start, ref Unsafe.As<int, byte>(ref cells.Head)), sizeof(int)),
            (nameof(cells.Count), Unsafe.ByteOffset(ref start, ref Unsafe.As<int, byte>(ref cells.Count)), sizeof(int)),
            (nameof(cells.LastActivity), Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref cells.LastActivity)), sizeof(long)),
            (nameof(cells.DeniedUntil), Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref cells.DeniedUntil)), sizeof(long)),
            (nameof(cells.Total), Unsafe.ByteOffset(ref start, ref Unsafe.As<T, byte>(ref cells.Total)), Unsafe.SizeOf<T>()),
            (nameof(cells.DeniedCost), Unsafe.ByteOffset(ref start, ref Unsafe.As<T, byte>(ref cells.DeniedCost)), Unsafe.SizeOf<T>()),
        ];

        foreach (var (name, offset, fieldSize) in hot)
        {
            Assert.True(offset >= Line, $"{name} at {offset} is within a line of the start");
            Assert.True(size - (offset + fieldSize) >= Line, $"{name} at {offset} is within a line of the end ({size} bytes)");
        }
    }
}
