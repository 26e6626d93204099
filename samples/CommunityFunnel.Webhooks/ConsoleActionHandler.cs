using System.Globalization;
using CommunityFunnel.Members;

namespace CommunityFunnel.Webhooks;

/// <summary>
/// The sample's member action handler: it writes each action the lifecycle decides (welcome, reminder, removal,
/// congratulation) as one line, <c>action KIND GROUP/MEMBER AT [REASON]</c>. A real host would put it in an outbox
/// and send it on the platform. While <see cref="Muted"/> (rebuilding in-memory state from the log at start) the
/// actions were carried out before and are not written again.
/// </summary>
internal sealed class ConsoleActionHandler(TextWriter output) : IMemberActionHandler
{
    public bool Muted { get; set; }

    public async Task HandleAsync(MemberAction action, CancellationToken cancellationToken)
    {
        if (Muted)
        {
            return;
        }

        var reason = action.Reason == LifecycleReason.None ? "" : " " + action.Reason.ToString();
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"action {action.Kind} {action.Group}/{action.Member} {action.At:yyyy-MM-ddTHH:mm:ssK}{reason}")).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
