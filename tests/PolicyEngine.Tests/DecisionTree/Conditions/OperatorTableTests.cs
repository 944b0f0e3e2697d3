using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.DecisionTree.Conditions;

/// <summary>
/// Spec §3 results, operator by operator: T (true), F (false) or I (indeterminate), read through a
/// deny_if probe so that what is tested is what a policy sees.
/// </summary>
public class OperatorTableTests
{
    [Theory]
    // rule 1: missing is false for every operator but exists
    [InlineData("""{"path":"args.v","op":"eq","value":1}""", "{}", "F")]
    [InlineData("""{"path":"args.v","op":"neq","value":1}""", "{}", "F")]
    [InlineData("""{"path":"args.v","op":"in","value":[1]}""", "{}", "F")]
    [InlineData("""{"path":"args.v","op":"not_in","value":[1]}""", "{}", "F")]
    [InlineData("""{"path":"args.v","op":"gt","value":1}""", "{}", "F")]
    [InlineData("""{"path":"args.v","op":"regex","value":"x"}""", "{}", "F")]
    [InlineData("""{"path":"args.v","op":"contains","value":"x"}""", "{}", "F")]
    [InlineData("""{"path":"args.v","op":"exists","value":true}""", "{}", "F")]
    [InlineData("""{"path":"args.v","op":"exists","value":false}""", "{}", "T")]
    // rule 2: null
    [InlineData("""{"path":"args.v","op":"exists","value":true}""", """{"v":null}""", "T")]
    [InlineData("""{"path":"args.v","op":"eq","value":null}""", """{"v":null}""", "T")]
    [InlineData("""{"path":"args.v","op":"eq","value":"x"}""", """{"v":null}""", "F")]
    [InlineData("""{"path":"args.v","op":"neq","value":"x"}""", """{"v":null}""", "T")]
    [InlineData("""{"path":"args.v","op":"not_in","value":["x",1]}""", """{"v":null}""", "T")]
    [InlineData("""{"path":"args.v","op":"in","value":["x",null]}""", """{"v":null}""", "T")]
    [InlineData("""{"path":"args.v","op":"lt","value":1}""", """{"v":null}""", "F")]
    [InlineData("""{"path":"args.v","op":"starts_with","value":"a"}""", """{"v":null}""", "F")]
    [InlineData("""{"path":"args.v","op":"contains","value":"a"}""", """{"v":null}""", "F")]
    // null literal against a present non-null value: a clean comparison (the engine's reading)
    [InlineData("""{"path":"args.v","op":"eq","value":null}""", """{"v":"x"}""", "F")]
    [InlineData("""{"path":"args.v","op":"neq","value":null}""", """{"v":5}""", "T")]
    // rule 3: numbers exactly, numeric strings as numbers against numbers
    [InlineData("""{"path":"args.v","op":"eq","value":1}""", """{"v":1.0}""", "T")]
    [InlineData("""{"path":"args.v","op":"eq","value":20000}""", """{"v":"2e4"}""", "T")]
    [InlineData("""{"path":"args.v","op":"eq","value":"20000"}""", """{"v":2e4}""", "T")]
    [InlineData("""{"path":"args.v","op":"eq","value":9007199254740993}""", """{"v":9007199254740992}""", "F")]
    [InlineData("""{"path":"args.v","op":"eq","value":7}""", """{"v":" 7"}""", "I")]
    [InlineData("""{"path":"args.v","op":"eq","value":7}""", """{"v":"seven"}""", "I")]
    [InlineData("""{"path":"args.v","op":"eq","value":7}""", """{"v":true}""", "I")]
    [InlineData("""{"path":"args.v","op":"eq","value":7}""", """{"v":1e400}""", "I")]
    // booleans against "true"/"false" only
    [InlineData("""{"path":"args.v","op":"eq","value":true}""", """{"v":"true"}""", "T")]
    [InlineData("""{"path":"args.v","op":"eq","value":true}""", """{"v":"false"}""", "F")]
    [InlineData("""{"path":"args.v","op":"eq","value":true}""", """{"v":"yes"}""", "I")]
    [InlineData("""{"path":"args.v","op":"eq","value":"true"}""", """{"v":true}""", "T")]
    [InlineData("""{"path":"args.v","op":"eq","value":"yes"}""", """{"v":true}""", "I")]
    [InlineData("""{"path":"args.v","op":"eq","value":"TRUE","ignore_case":true}""", """{"v":true}""", "I")]
    [InlineData("""{"path":"args.v","op":"eq","value":true,"ignore_case":true}""", """{"v":"TRUE"}""", "I")]
    // two strings: ordinal; numeric-looking strings stay strings
    [InlineData("""{"path":"args.v","op":"eq","value":"007"}""", """{"v":"7"}""", "F")]
    [InlineData("""{"path":"args.v","op":"eq","value":"sell"}""", """{"v":"SELL"}""", "F")]
    [InlineData("""{"path":"args.v","op":"eq","value":"sell","ignore_case":true}""", """{"v":"SELL"}""", "T")]
    [InlineData("""{"path":"args.v","op":"eq","value":"k"}""", """{"v":"\u212A"}""", "F")]
    [InlineData("""{"path":"args.v","op":"eq","value":"x"}""", """{"v":"\u0078"}""", "T")]
    // objects and arrays against scalars
    [InlineData("""{"path":"args.v","op":"eq","value":"sell"}""", """{"v":["sell"]}""", "I")]
    [InlineData("""{"path":"args.v","op":"eq","value":1}""", """{"v":{}}""", "I")]
    // in / not_in: true if some element is eq, else indeterminate if some comparison is, else false
    [InlineData("""{"path":"args.v","op":"in","value":["a",1]}""", """{"v":"a"}""", "T")]
    [InlineData("""{"path":"args.v","op":"in","value":["a",1]}""", """{"v":"b"}""", "I")]
    [InlineData("""{"path":"args.v","op":"in","value":["a","b"]}""", """{"v":"c"}""", "F")]
    [InlineData("""{"path":"args.v","op":"in","value":[1,2]}""", """{"v":"2.0"}""", "T")]
    [InlineData("""{"path":"args.v","op":"not_in","value":["a","b"]}""", """{"v":"c"}""", "T")]
    [InlineData("""{"path":"args.v","op":"not_in","value":["a",1]}""", """{"v":"b"}""", "I")]
    [InlineData("""{"path":"args.v","op":"not_in","value":["a"]}""", """{"v":"a"}""", "F")]
    [InlineData("""{"path":"args.v","op":"in","value":[]}""", """{"v":"a"}""", "F")]
    // rule 4: ordering
    [InlineData("""{"path":"args.v","op":"gt","value":10000}""", """{"v":10000}""", "F")]
    [InlineData("""{"path":"args.v","op":"gte","value":10000}""", """{"v":"10000.0"}""", "T")]
    [InlineData("""{"path":"args.v","op":"gt","value":10000}""", """{"v":10000.0000000000000000001}""", "T")]
    [InlineData("""{"path":"args.v","op":"lt","value":0}""", """{"v":-0}""", "F")]
    [InlineData("""{"path":"args.v","op":"lte","value":0}""", """{"v":-0}""", "T")]
    [InlineData("""{"path":"args.v","op":"gt","value":1}""", """{"v":"NaN"}""", "I")]
    [InlineData("""{"path":"args.v","op":"gt","value":1}""", """{"v":"Infinity"}""", "I")]
    [InlineData("""{"path":"args.v","op":"gt","value":1}""", """{"v":"0x10"}""", "I")]
    [InlineData("""{"path":"args.v","op":"gt","value":1}""", """{"v":"1,000"}""", "I")]
    [InlineData("""{"path":"args.v","op":"gt","value":1}""", """{"v":[1e6]}""", "I")]
    [InlineData("""{"path":"args.v","op":"gt","value":1}""", """{"v":{}}""", "I")]
    [InlineData("""{"path":"args.v","op":"gt","value":1}""", """{"v":true}""", "I")]
    [InlineData("""{"path":"args.v","op":"gt","value":1}""", """{"v":1e400}""", "I")]
    // rule 5: regex, starts_with, ends_with
    [InlineData("""{"path":"args.v","op":"regex","value":"^a+$"}""", """{"v":"aaa"}""", "T")]
    [InlineData("""{"path":"args.v","op":"regex","value":"b"}""", """{"v":"abc"}""", "T")]
    [InlineData("""{"path":"args.v","op":"regex","value":"B","ignore_case":true}""", """{"v":"abc"}""", "T")]
    [InlineData("""{"path":"args.v","op":"regex","value":"1"}""", """{"v":1}""", "I")]
    [InlineData("""{"path":"args.v","op":"starts_with","value":"/etc/"}""", """{"v":"/etc/passwd"}""", "T")]
    [InlineData("""{"path":"args.v","op":"starts_with","value":"/etc/"}""", """{"v":"/ETC/passwd"}""", "F")]
    [InlineData("""{"path":"args.v","op":"ends_with","value":".EXE","ignore_case":true}""", """{"v":"a.exe"}""", "T")]
    [InlineData("""{"path":"args.v","op":"ends_with","value":"x"}""", """{"v":["x"]}""", "I")]
    // rule 6: contains
    [InlineData("""{"path":"args.v","op":"contains","value":"rm -rf"}""", """{"v":"sudo rm -rf /"}""", "T")]
    [InlineData("""{"path":"args.v","op":"contains","value":"x"}""", """{"v":["a","x"]}""", "T")]
    [InlineData("""{"path":"args.v","op":"contains","value":5}""", """{"v":["5"]}""", "T")]
    [InlineData("""{"path":"args.v","op":"contains","value":5}""", """{"v":["a"]}""", "I")]
    [InlineData("""{"path":"args.v","op":"contains","value":"x"}""", """{"v":[]}""", "F")]
    [InlineData("""{"path":"args.v","op":"contains","value":"x"}""", """{"v":{"x":1}}""", "I")]
    [InlineData("""{"path":"args.v","op":"contains","value":5}""", """{"v":"a5"}""", "I")]
    // rule 7: Kleene combinators
    [InlineData("""{"all":[{"path":"args.a","op":"eq","value":1},{"path":"args.b","op":"gt","value":1}]}""", """{"a":2,"b":"x"}""", "F")]
    [InlineData("""{"all":[{"path":"args.a","op":"eq","value":1},{"path":"args.b","op":"gt","value":1}]}""", """{"a":1,"b":"x"}""", "I")]
    [InlineData("""{"any":[{"path":"args.a","op":"eq","value":1},{"path":"args.b","op":"gt","value":1}]}""", """{"a":1,"b":"x"}""", "T")]
    [InlineData("""{"any":[{"path":"args.a","op":"eq","value":1},{"path":"args.b","op":"gt","value":1}]}""", """{"a":2,"b":"x"}""", "I")]
    [InlineData("""{"not":{"path":"args.b","op":"gt","value":1}}""", """{"b":"x"}""", "I")]
    [InlineData("""{"not":{"path":"args.b","op":"gt","value":1}}""", """{"b":0}""", "T")]
    // five or more children: the general AllCondition (AllOf2 to AllOf4 take fewer)
    [InlineData("""{"all":[{"path":"args.a","op":"eq","value":1},{"path":"args.a","op":"lte","value":1},{"path":"args.a","op":"gte","value":1},{"path":"args.a","op":"lt","value":2},{"path":"args.b","op":"gt","value":1}]}""", """{"a":1,"b":"x"}""", "I")]
    [InlineData("""{"all":[{"path":"args.b","op":"gt","value":1},{"path":"args.a","op":"eq","value":1},{"path":"args.a","op":"lte","value":1},{"path":"args.a","op":"gte","value":1},{"path":"args.a","op":"lt","value":1}]}""", """{"a":1,"b":"x"}""", "F")]
    [InlineData("""{"all":[{"path":"args.a","op":"eq","value":1},{"path":"args.a","op":"lte","value":1},{"path":"args.a","op":"gte","value":1},{"path":"args.a","op":"lt","value":2},{"path":"args.a","op":"gt","value":0}]}""", """{"a":1}""", "T")]
    [InlineData("""{"all":[]}""", "{}", "T")]
    [InlineData("""{"any":[]}""", "{}", "F")]
    // paths: nested, indexed, quoted keys, context, session, tool
    [InlineData("""{"path":"args.order.legs[1].qty","op":"eq","value":3}""", """{"order":{"legs":[{"qty":1},{"qty":3}]}}""", "T")]
    [InlineData("""{"path":"args.order.legs[2].qty","op":"exists","value":true}""", """{"order":{"legs":[{"qty":1}]}}""", "F")]
    [InlineData("""{"path":"args[\"x.y\"]","op":"eq","value":1}""", """{"x.y":1,"x":{"y":2}}""", "T")]
    [InlineData("""{"path":"args.x.y","op":"eq","value":2}""", """{"x.y":1,"x":{"y":2}}""", "T")]
    [InlineData("""{"path":"args.Symbol","op":"eq","value":"BTC"}""", """{"Symbol":"BTC"}""", "T")]
    [InlineData("""{"path":"args.symbol","op":"eq","value":"BTC"}""", """{"Symbol":"BTC"}""", "F")]
    [InlineData("""{"path":"tool","op":"eq","value":"t"}""", "{}", "T")]
    [InlineData("""{"path":"session","op":"eq","value":""}""", "{}", "T")]
    [InlineData("""{"path":"context.user","op":"exists","value":true}""", "{}", "F")]
    public void Result(string condition, string arguments, string expected) =>
        Assert.Equal(expected, Engine.Truth(condition, arguments));

    [Fact]
    public void Context_and_session_paths_read_the_call()
    {
        var ev = Engine.For(Engine.Probe("""{"all":[{"path":"context.user.role","op":"eq","value":"admin"},{"path":"session","op":"starts_with","value":"s-"}]}"""));
        Assert.Equal(DecisionCodes.Denied, ev.Evaluate(Engine.Call("t", "{}", "s-1", """{"user":{"role":"admin"}}""")).Code);
        Assert.Equal(DecisionCodes.Allowed, ev.Evaluate(Engine.Call("t", "{}", "x-1", """{"user":{"role":"admin"}}""")).Code);
    }

    [Fact]
    public void Strings_longer_than_the_stack_buffer_and_escaped_strings_compare_the_same()
    {
        string longValue = new string('a', 5000) + "needle";
        Assert.Equal("T", Engine.Truth("""{"path":"args.v","op":"ends_with","value":"needle"}""", $$"""{"v":"{{longValue}}"}"""));
        Assert.Equal("T", Engine.Truth("""{"path":"args.v","op":"eq","value":"a\"b"}""", """{"v":"a\u0022b"}"""));
        Assert.Equal("T", Engine.Truth("""{"path":"args.v","op":"in","value":["é"]}""", """{"v":"\u00e9"}"""));
    }
}
