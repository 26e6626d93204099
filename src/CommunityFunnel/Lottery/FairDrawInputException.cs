namespace CommunityFunnel.Lottery;

/// <summary>Draw input that breaks a rule of fair-draw/v1: nothing is drawn. Names the field and the rule.</summary>
public sealed class FairDrawInputException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="field">The path of the offending field, e.g. <c>entries[3].weight</c>.</param>
    /// <param name="rule">The rule broken, e.g. <c>1 &lt;= weight &lt;= 4294967295</c>.</param>
    /// <param name="problem">What is wrong with the value.</param>
    public FairDrawInputException(string field, string rule, string problem)
        : base($"{field}: {problem} (rule: {rule})")
    {
        Field = field;
        Rule = rule;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public FairDrawInputException()
        : this("input", "fair-draw/v1", "invalid input")
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">The message.</param>
    public FairDrawInputException(string message)
        : base(message)
    {
        Field = "input";
        Rule = "fair-draw/v1";
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public FairDrawInputException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "input";
        Rule = "fair-draw/v1";
    }

    /// <summary>The path of the offending field.</summary>
    public string Field { get; }

    /// <summary>The rule the input breaks.</summary>
    public string Rule { get; }
}
