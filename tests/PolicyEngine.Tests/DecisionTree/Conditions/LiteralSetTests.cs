using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.DecisionTree.Conditions;

/// <summary>
/// Equality edges the mutation run found untested (spec §3 rule 3): <c>false</c> against false and "false", <c>true</c>
/// against false, objects and arrays against <c>null</c>; <c>in</c> with more than 8 literals, which are hashed rather
/// than scanned (the boundary is 8 and 9); and <c>all</c> of 3 and 4 children, which have their own classes, with each
/// child in turn the one that is false or indeterminate.
/// </summary>
public class LiteralSetTests
{
    private const string Nine = """["a","b","c","d","e","f","g","h","i"]""";
    private const string NineNumbers = "[1,2,3,4,5,6,7,8,9]";
    private const string NineNumericStrings = """["1","2","3","4","5","6","7","8","9"]""";

    [Theory]
    [InlineData("""{"path":"args.v","op":"eq","value":false}""", """{"v":false}""", "T")]
    [InlineData("""{"path":"args.v","op":"eq","value":false}""", """{"v":true}""", "F")]
    [InlineData("""{"path":"args.v","op":"eq","value":true}""", """{"v":false}""", "F")]
    [InlineData("""{"path":"args.v","op":"eq","value":true}""", """{"v":true}""", "T")]
    [InlineData("""{"path":"args.v","op":"eq","value":"false"}""", """{"v":false}""", "T")]
    [InlineData("""{"path":"args.v","op":"eq","value":"false"}""", """{"v":true}""", "F")]
    [InlineData("""{"path":"args.v","op":"eq","value":"true"}""", """{"v":false}""", "F")]
    [InlineData("""{"path":"args.v","op":"eq","value":false}""", """{"v":"false"}""", "T")]
    [InlineData("""{"path":"args.v","op":"eq","value":false}""", """{"v":"true"}""", "F")]
    [InlineData("""{"path":"args.v","op":"eq","value":false}""", """{"v":"no"}""", "I")]
    [InlineData("""{"path":"args.v","op":"in","value":[true,false]}""", """{"v":"false"}""", "T")]
    [InlineData("""{"path":"args.v","op":"eq","value":1}""", """{"v":false}""", "I")]
    [InlineData("""{"path":"args.v","op":"eq","value":"x"}""", """{"v":false}""", "I")]
    [InlineData("""{"path":"args.v","op":"eq","value":false}""", """{"v":0}""", "I")]
    // objects and arrays: never equal to a scalar; against null alone a clean false
    [InlineData("""{"path":"args.v","op":"eq","value":null}""", """{"v":{}}""", "F")]
    [InlineData("""{"path":"args.v","op":"eq","value":null}""", """{"v":[1]}""", "F")]
    [InlineData("""{"path":"args.v","op":"neq","value":null}""", """{"v":{"a":1}}""", "T")]
    [InlineData("""{"path":"args.v","op":"in","value":[null,1]}""", """{"v":{}}""", "I")]
    [InlineData("""{"path":"args.v","op":"eq","value":null}""", """{"v":false}""", "F")]
    [InlineData("""{"path":"args.v","op":"eq","value":false}""", """{"v":null}""", "F")]
    // 9 literals are hashed, 8 scanned: both answer the same
    [InlineData("""{"path":"args.v","op":"in","value":""" + Nine + "}", """{"v":"e"}""", "T")]
    [InlineData("""{"path":"args.v","op":"in","value":""" + Nine + "}", """{"v":"i"}""", "T")]
    [InlineData("""{"path":"args.v","op":"in","value":""" + Nine + "}", """{"v":"E"}""", "F")]
    [InlineData("""{"path":"args.v","op":"in","value":""" + Nine + "}", """{"v":"z"}""", "F")]
    [InlineData("""{"path":"args.v","op":"in","value":""" + Nine + ""","ignore_case":true}""", """{"v":"E"}""", "T")]
    [InlineData("""{"path":"args.v","op":"not_in","value":""" + Nine + "}", """{"v":"z"}""", "T")]
    [InlineData("""{"path":"args.v","op":"in","value":["a","b","c","d","e","f","g","h"]}""", """{"v":"h"}""", "T")]
    [InlineData("""{"path":"args.v","op":"in","value":["a","b","c","d","e","f","g","h"],"ignore_case":true}""", """{"v":"H"}""", "T")]
    [InlineData("""{"path":"args.v","op":"in","value":""" + NineNumbers + "}", """{"v":9}""", "T")]
    [InlineData("""{"path":"args.v","op":"in","value":""" + NineNumbers + "}", """{"v":5.0}""", "T")]
    [InlineData("""{"path":"args.v","op":"in","value":""" + NineNumbers + "}", """{"v":"5"}""", "T")]
    [InlineData("""{"path":"args.v","op":"in","value":""" + NineNumbers + "}", """{"v":10}""", "F")]
    [InlineData("""{"path":"args.v","op":"in","value":""" + NineNumbers + "}", """{"v":"x"}""", "I")]
    [InlineData("""{"path":"args.v","op":"in","value":""" + NineNumericStrings + "}", """{"v":5}""", "T")]
    [InlineData("""{"path":"args.v","op":"in","value":""" + NineNumericStrings + "}", """{"v":10}""", "F")]
    [InlineData("""{"path":"args.v","op":"in","value":[1,2,3,4,5,6,7,8]}""", """{"v":8}""", "T")]
    public void Result(string condition, string arguments, string expected) =>
        Assert.Equal(expected, Engine.Truth(condition, arguments));

    private const string A = """{"path":"args.a","op":"eq","value":1}""";
    private const string B = """{"path":"args.b","op":"eq","value":1}""";
    private const string C = """{"path":"args.c","op":"eq","value":1}""";
    private const string D = """{"path":"args.d","op":"eq","value":1}""";

    [Theory]
    [InlineData("""{"a":1,"b":1,"c":1}""", "T")]
    [InlineData("""{"a":2,"b":1,"c":1}""", "F")]
    [InlineData("""{"a":1,"b":2,"c":1}""", "F")]
    [InlineData("""{"a":1,"b":1,"c":2}""", "F")]
    [InlineData("""{"a":"x","b":1,"c":1}""", "I")]
    [InlineData("""{"a":1,"b":"x","c":1}""", "I")]
    [InlineData("""{"a":1,"b":1,"c":"x"}""", "I")]
    [InlineData("""{"a":"x","b":1,"c":2}""", "F")]
    public void All_of_three(string arguments, string expected) =>
        Assert.Equal(expected, Engine.Truth("{\"all\":[" + A + "," + B + "," + C + "]}", arguments));

    [Theory]
    [InlineData("""{"a":1,"b":1,"c":1,"d":1}""", "T")]
    [InlineData("""{"a":2,"b":1,"c":1,"d":1}""", "F")]
    [InlineData("""{"a":1,"b":2,"c":1,"d":1}""", "F")]
    [InlineData("""{"a":1,"b":1,"c":2,"d":1}""", "F")]
    [InlineData("""{"a":1,"b":1,"c":1,"d":2}""", "F")]
    [InlineData("""{"a":"x","b":1,"c":1,"d":1}""", "I")]
    [InlineData("""{"a":1,"b":1,"c":1,"d":"x"}""", "I")]
    [InlineData("""{"a":1,"b":"x","c":1,"d":2}""", "F")]
    public void All_of_four(string arguments, string expected) =>
        Assert.Equal(expected, Engine.Truth("{\"all\":[" + A + "," + B + "," + C + "," + D + "]}", arguments));
}
