using Xunit.Abstractions;
using Xunit.Sdk;

namespace CommunityFunnel.Storage.Tests.TestSupport;

/// <summary>
/// A fact of the store suites. On a class marked <see cref="RequiresPostgreSqlAttribute"/> it is skipped, with the
/// reason, when no PostgreSQL server can be had (never when CI=true: then the test fails).
/// </summary>
[XunitTestCaseDiscoverer("CommunityFunnel.Storage.Tests.TestSupport.StoreFactDiscoverer", "CommunityFunnel.Storage.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>Marks a test class whose store facts need a PostgreSQL server.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class RequiresPostgreSqlAttribute : Attribute;

public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var type = testMethod.TestClass.Class.ToRuntimeType();
        var reason = type is not null && Attribute.IsDefined(type, typeof(RequiresPostgreSqlAttribute)) ? PostgreSqlServer.SkipReason : null;
        var display = discoveryOptions.MethodDisplayOrDefault();
        var options = discoveryOptions.MethodDisplayOptionsOrDefault();
        yield return reason is null
            ? new XunitTestCase(diagnosticMessageSink, display, options, testMethod)
            : new SkippedTestCase(reason, diagnosticMessageSink, display, options, testMethod);
    }
}

public sealed class SkippedTestCase : XunitTestCase
{
    private string _reason = string.Empty;

    [Obsolete("For the de-serializer only.", error: true)]
    public SkippedTestCase()
    {
    }

    public SkippedTestCase(string reason, IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method)
        : base(sink, display, options, method) => _reason = reason;

    public override void Serialize(IXunitSerializationInfo data)
    {
        ArgumentNullException.ThrowIfNull(data);
        data.AddValue("SkipReason", _reason);
        base.Serialize(data);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _reason = data.GetValue<string>("SkipReason");
        base.Deserialize(data);
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) => _reason;
}
