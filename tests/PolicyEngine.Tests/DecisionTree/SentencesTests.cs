using PolicyEngine.DecisionTree;

namespace PolicyEngine.Tests.DecisionTree;

/// <summary>The engine's default limit messages read as English: "per minute", "per 2 minutes", never "1 minute(s)".</summary>
public sealed class SentencesTests
{
    [Theory]
    [InlineData(1000, "second")]
    [InlineData(10000, "10 seconds")]
    [InlineData(90000, "90 seconds")]
    [InlineData(60000, "minute")]
    [InlineData(120000, "2 minutes")]
    [InlineData(3600000, "hour")]
    [InlineData(129600000, "36 hours")]
    [InlineData(86400000, "day")]
    [InlineData(604800000, "7 days")]
    [InlineData(1500, "1.5 seconds")]
    [InlineData(500, "500 milliseconds")]
    [InlineData(1, "millisecond")]
    public void A_window_is_named_with_its_unit_in_the_singular_for_one_and_the_plural_for_more(long milliseconds, string expected)
    {
        var sentence = Sentences.Limited(null, null, 5, hasCost: false, TimeSpan.FromMilliseconds(milliseconds));

        Assert.Equal($"Limit reached: at most 5 calls per {expected}.", sentence);
    }

    [Theory]
    [InlineData(1, false, null, "Limit reached: at most 1 call per minute.")]
    [InlineData(3, false, "orders", "Limit 'orders' reached: at most 3 calls per minute.")]
    [InlineData(10000, true, "budget", "Limit 'budget' reached: at most 10000 spent per minute.")]
    [InlineData(2.5, true, null, "Limit reached: at most 2.5 spent per minute.")]
    public void The_sentence_names_the_limit_and_counts_calls_or_spend(double max, bool hasCost, string? name, string expected) =>
        Assert.Equal(expected, Sentences.Limited(null, name, (decimal)max, hasCost, TimeSpan.FromMinutes(1)));

    [Fact]
    public void On_limit_replaces_the_sentence() =>
        Assert.Equal("Slow down.", Sentences.Limited("Slow down.", "orders", 3, hasCost: false, TimeSpan.FromMinutes(1)));
}
