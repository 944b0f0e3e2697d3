using System.Text.Json;

namespace PolicyEngine.Testing;

/// <summary>One step of a test: what it does (<see cref="Body"/>), when, and the fields its answer must have.</summary>
internal readonly record struct TestStep(TestStepKind Kind, JsonElement Body, decimal? At, JsonElement Expect);
