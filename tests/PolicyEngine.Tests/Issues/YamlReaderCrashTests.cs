namespace PolicyEngine.Tests.Issues;

/// <summary>
/// Inputs that the policy fuzz target found crashing the YAML reader: YamlDotNet's scanner threw
/// InvalidOperationException (and once InvalidCastException), not a YamlException, out of Policy.TryParse. Each must be an ordinary invalid policy.
/// </summary>
public class YamlReaderCrashTests
{
    [Theory]
    [InlineData("V1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dsdCI6EyJkZW55Iix/////b2xzIkEgexl3cmR3IjogeyJhY3Rpb24iOmFsIiwgW3JlYXNvV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXVwD6ZZR1aXJlX2N0YWFhbiI6ICJBIn19fQ==")]
    [InlineData("IHJhdyI6IHsAZHYgIjEiTiAiZGVmYXVsdCJkZW55IgogInRvkA8idG9vbAIAOiB7IndyYXciOiB7ImFjriL/f30=")]
    [InlineData("TCJ2ZXL/IiwgInRvb3x0IjogeyJ3cmF3IjogjjEhLCB7IndyImRlZmF0cmF3IjogjiI=")]
    [InlineData("aXsicyI6IHsid3JhdyI6IHsiYWN0aW91bHQiOiAiZGVueSIsICJ0b29sWmVyc2lvbiI6ICIxIiwgImRlZmEzIgoKCgoKCgoKCgoKCgoKCgoKRCx7InZlK2Vhc29uIjogIi4ifX0=")]
    [InlineData("aXkiInRvb2xzIjogewAAAAoEgDogeyJhY3Rpb24iOiAxIixyc2lvfX0=")]
    [InlineData("aXkiQHRvb2xzIjogewAAAAEAgDogeyJhY3Rpb24iOgoxIixyc2lvfX0=")]
    [InlineData("aXkiInRvfmxzIjogewAAAQEKgDogeyJhY3QxIixyc2lvfX0=")]
    [InlineData("b3Q/OiB7InZlcnNpb24iOiAiMSIsICB7IngiOiB7ImRlbnlfICJ0b29scyI6IHsieCI6IHsibnkiLCAidG9vIjogImdyZWF0ZGVueV9pZiI6IFt7ImNvbmRpdGlvbnMiOiBpeypwYWRlZiI6ICJkZW55IiwgInRvbyI6ICJncmVhdGVyIiwgInZhbHVlIjogMX1dLCAib25fZGVueSI6ICJuIg==")]
    [InlineData("b3Q/OiB7InZlcnNpb24iOiAiMSIsICJkZWYiOiAqZGVueX8sICJ0IHsiZGVueV9pZiI6b29scSI6IHsieCI6IFt7ImNvbmRpdGlvbnMiOiBbeyJwYWRlZiI6ICJkZW55IiwgInRvbyI6ICJncmVhdGVyIiwgInZhbHVlIjogMX1dLCAib25fZGVueSI6ICJuIg==")]
    [InlineData("b3Q/OiB7InZlcnNpb24iOiAiMSIsICJkZWYiOiAiZGVueSIsICp0b29scyI6IHsiaSI6IHsiZGVueV9pZiI6IFt7ImNvbmRpdGlvbnMiOiBbeyJwYSwgBn5vbyI6ICI6IDF9XSwgIm9uX2RTbnkiOiAibiI=")]
    [InlineData("b3Q/OiB7InZlcnNpb24iOiAiMSIsICJkZWYiOiAiZFRueSIsICJ0b29scyI6IHsieCI6IHsiZGVueV9pZiI6IFt7ImNvbmRpdGlvblgiOiBbeyJwYWRlZiI6ICJpaWlpaWRlbnkiLCAidG9vIjogImdyZWF0ZXIiLCB7dmFsdWUiOiAxfV0sICJvbl9kZW55IjogIm4i")]
    [InlineData("b1g/OiB7InYiZGVueSIsICZ0b29sLCI6M3sieCI6IHsiZGVuVl9pZiI6IFt7ImNvbmRpdGlvbm9vOiBPWCJwYWRlZiI6ICJkZV9kEAAgInRvb29ubnkiLGVhdGVyIiwgInZhbHVlIjo3MX1dcyAiIjojImVuIAA6ICJuIg==")]
    [InlineData("b3Q/OiB7InZlcnNpb24iOoD/HyIsICJkZWYiOiAiZGVueSIsW3siY29vZGlkaX9ucyI6IFt7InBhZGVmIjogImRlbnkiLCAidG9vIjogImdyZWF0ZXIiLCAidmFsdWUiOiAxfV0sICJ/bnMiOiBbeyJwYWRlb25fZGVueSI6HiJuIg==")]
    [InlineData("b3Q/OiB7InZlcnNpb24iOhciMSIsKiJkZWYiOiAiZGVueSIsICJ0b29scyI6IHsieCI6IHsiZGVueV9pZiI6IFt7ImNvbmRpdGlvbnMiOiBbeyJwYWRlZiI6ICJkZW55IiwgIppvbyI6ICJncmVhdGVyIiwgInZhbHVlJjogMX1dLCAib25fZGVueSI6ICJuIg==")]
    [InlineData("b3Q/OiB7InZlZGxueV9pZiI6IFt7ImNvbmRpdGlvbnMiOiBbICJ0b29scyI6IHsieCI6IHsicnNpb24iOiAiMSIsICJkZWYiOiAiZGVueSIseyJwYWRlZiI6ICJkZW55IiwgInRvbyI6IHkiLCAidG9vIjogdGVyIiwgInZhbHVlIjogMX1dLCAib25fZGVueSI6ICJuIg==")]
    [InlineData("a3Q/OiAweGJ7InYKCub/f3MiOiB7IndkYXcicXVpAgBfYXBwcm8BAAwAAAoK5v9/cyI6IHsid2RhdyI6WW4iOiAiclAiOgAAAQAAAAABCgoK5v9/cyI6IHsid2RhdyJxdWkCAF9hcHBybwEADAAABAB0aVluIlQgInJQcXVpAgBfYXBwcm8BAGwBLCAAABBhc28icmVxdWlyZV9DZWFzK2MiOiAibiI=")]
    [InlineData("b3Q/OiBbInZlcnNpb24iOiAiMSIsICJkZWAiOiAABGVuAgAsICJTb29scyI6eyJkZW55X2lmIjogW38iY29uZGl0aW9ucyA6IFt7InBhZGVmIjogImRlbnkiLCAidG9vIjogCmdybl9kZW55IgAAA+gi")]
    [InlineData("ZiI6IFt7ImNvbiIsICJkZWZhdWx0IjogImRlbnkiLCAidG9vbHMiLCB7InRygG5zeyJjb24iLCAiZGVmYXVsdCI6ICJkZW55IiwgInRvb2ZlciI6IHsiYXBwcm92ZV9JZiI6IFt7ImNvbmRpdGlvbnMiOiBbeyJwYXRoIjogImFyZ3MuYW1vdW50IiwgIm9wIjogImciLCAidmFsdWUiOiAxMDAwfTssICJyZWFzb24iOiAiTGF0cmFuc2Zlci4ifV0sICJkZW55X2l7InZlbiI6ICIxZGl0aW9ucyI6IFt7InBhdGgiOiAiYXJncy50byIsICJvcCI6ICJlcSIsICJ2YWx1ZSI6ICJrZW5fZGVueSI6ICJCbG9ka2VkIHJlY2lwaWVudC4ifV19fX0=")]
    [InlineData("b2w/OnsidmQsICJ0b2+Ic/E6IHsieCI6ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIHsiZHpueV9pZiI6IFt7ImNvbmRpdGlvbnMiOiBbeyJwYXRoIjogImFyZ4EuYSIsICJvcCJRICJncmVhdGVyIiwgInZzbHVlIjouMX1dLCAib25fZGV9eSI6ICJfIn0=")]
    [InlineData("b3Q/OiB7IoJvgSI6ICJkZRB5IiwgInRvb3xzIjoKCgoRCgoKDG4sICI6ICJyZSB1+nI=")]
    [InlineData("b3Q/Om5kZW55IiwgInRvb2xzInJhbnNmZXIiOiB7ImFwcHJvdmVfaWYiOiBbeyJjb25kaXRpb25zIjogW3sicH1ZSCIiICJhcmdzLmFtb3VudCIsICL/cCIxMDAwfV1BICJyZWGDb24iOiAiXGF0cmFuc2Zlci4ifV0sICJkZW55X2lmIjogW3siY29uZGl0aW9ucyI6IFt7CnBhdGgiOiAiYXJncy50byIsIBRvcCI6ICJlcSIsICJ2YWx1ZSI6ICJrZRAifV0sICJvbl9kZW55IjogIkJsa2NrZWQ=")]
    [InlineData("b2w/L3sidmQsHyJ0a2+Ic19yInR0dGUiIjouMX1vbD8veyJ2ZCwfInQEc4hzX3IidHR0ZSIiOi4xXREgIohv8ScgeyJ4InRlIiI6LjFdLCAiiEzxJyB7IngiOiAKIDog8CAg")] // InvalidCastException: MappingEnd is not a NodeEvent (found by CI's fuzzing, 2026-12-05)
    public void Input_that_crashed_the_yaml_scanner_is_an_invalid_policy_with_an_error(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        Assert.False(Policy.TryParse(bytes, out _, out var byteErrors));
        Assert.NotEmpty(byteErrors);
        Assert.False(Policy.TryParse(System.Text.Encoding.UTF8.GetString(bytes), out _, out var errors));
        Assert.NotEmpty(errors);
        using var stream = new MemoryStream(bytes);
        var ex = Assert.Throws<PolicyValidationException>(() => Policy.Load(stream));
        Assert.NotEmpty(ex.Errors);
    }
}
