using System.Numerics;

namespace PolicyEngine.Json;

/// <summary>
/// Parses JSON number text into an exact <see cref="decimal"/>, or says it cannot. Never rounds and never
/// goes through binary floating point: comparing money through <see cref="double"/> is how limits get cheated.
/// </summary>
internal static class ExactNumber
{
    /// <summary>The most significant digits, and decimal places, a number may have to be compared exactly (decimal's).</summary>
    public const int MaxDigits = 28;

    /// <summary>Parses text that must be exactly a JSON number (RFC 8259 grammar, nothing around it).</summary>
    public static NumberStatus Parse<TChar>(ReadOnlySpan<TChar> text, out decimal value)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        value = 0m;
        int i = 0, n = text.Length;
        bool negative = i < n && At(text, i) == '-';
        if (negative)
        {
            i++;
        }

        // Integer part: 0 | [1-9][0-9]*. The digits of the integer and fraction parts form one stream.
        if (i >= n || !IsDigit(At(text, i)))
        {
            return NumberStatus.NotANumber;
        }

        var acc = new Accumulator();
        if (At(text, i) == '0')
        {
            i++;
        }
        else
        {
            for (; i < n && IsDigit(At(text, i)); i++)
            {
                acc.Add(At(text, i) - '0');
            }
        }

        long exponent = 0;
        if (i < n && At(text, i) == '.')
        {
            i++;
            if (i >= n || !IsDigit(At(text, i)))
            {
                return NumberStatus.NotANumber;
            }

            for (; i < n && IsDigit(At(text, i)); i++)
            {
                acc.Add(At(text, i) - '0');
                exponent--;
            }
        }

        if (i < n && (At(text, i) | 0x20) == 'e')
        {
            i++;
            bool expNegative = false;
            if (i < n && (At(text, i) == '+' || At(text, i) == '-'))
            {
                expNegative = At(text, i) == '-';
                i++;
            }

            if (i >= n || !IsDigit(At(text, i)))
            {
                return NumberStatus.NotANumber;
            }

            long e = 0;
            for (; i < n && IsDigit(At(text, i)); i++)
            {
                e = Math.Min((e * 10) + (At(text, i) - '0'), 1_000_000_000L); // saturate: anything this big is out of range
            }

            exponent += expNegative ? -e : e;
        }

        if (i != n)
        {
            return NumberStatus.NotANumber;
        }

        if (acc.Overflow)
        {
            return NumberStatus.OutOfRange;
        }

        if (acc.Digits == 0)
        {
            value = 0m; // -0, 0e999 and 0.000 are all zero
            return NumberStatus.Exact;
        }

        // Zeros after the last significant digit scale the value instead of widening the mantissa.
        exponent += acc.PendingZeros;
        UInt128 mantissa = acc.Mantissa;
        int digits = acc.Digits;
        for (; exponent > 0; exponent--)
        {
            if (++digits > MaxDigits)
            {
                return NumberStatus.OutOfRange;
            }

            mantissa *= 10;
        }

        if (-exponent > MaxDigits)
        {
            return NumberStatus.OutOfRange;
        }

        value = new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), (int)(uint)(mantissa >> 64), negative, (byte)(-exponent));
        return NumberStatus.Exact;
    }

    /// <summary>Parses a policy literal's raw number text; the literal is valid only when it is exact.</summary>
    public static bool TryParseExact(string text, out decimal value) =>
        Parse(text.AsSpan(), out value) == NumberStatus.Exact;

    /// <summary>As <see cref="TryParseExact(string, out decimal)"/>, for the raw UTF-8 text of a document's number.</summary>
    public static bool TryParseExact(ReadOnlySpan<byte> utf8, out decimal value) =>
        Parse(utf8, out value) == NumberStatus.Exact;

    /// <summary>Builds the significant digits: leading zeros dropped, trailing zeros held back until a non-zero digit follows.</summary>
    private struct Accumulator
    {
        public UInt128 Mantissa;
        public int Digits;
        public int PendingZeros;
        public bool Overflow;

        public void Add(int digit)
        {
            if (digit == 0)
            {
                if (Digits > 0)
                {
                    PendingZeros++;
                }

                return;
            }

            for (; PendingZeros > 0; PendingZeros--)
            {
                Push(0);
            }

            Push(digit);
        }

        private void Push(int digit)
        {
            if (Digits >= MaxDigits)
            {
                Overflow = true;
                return;
            }

            Mantissa = (Mantissa * 10) + (uint)digit;
            Digits++;
        }
    }

    private static int At<TChar>(ReadOnlySpan<TChar> text, int i)
        where TChar : unmanaged, IBinaryInteger<TChar> => int.CreateTruncating(text[i]);

    private static bool IsDigit(int c) => (uint)(c - '0') <= 9;
}
