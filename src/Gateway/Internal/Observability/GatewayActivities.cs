using System.Diagnostics;

namespace Gateway.Internal;

/// <summary>
/// The activity of each handled message, on <see cref="GatewayDiagnostics.ActivitySourceName"/>. Started only when a
/// listener samples it; with none, the source's check is all a message pays.
/// </summary>
internal static class GatewayActivities
{
    public const string HandleMessage = "Gateway.HandleMessage";

    public static readonly ActivitySource Source = new(GatewayDiagnostics.ActivitySourceName);

    /// <summary>
    /// Starts the activity of a message: a child of the client's trace context when the message carried one, else a
    /// root; linked to the handshake request's activity either way, as SignalR links its hub calls. Call it from the
    /// async method that runs the handler, whose flow alone sees it as <see cref="Activity.Current"/>.
    /// </summary>
    public static Activity? Start(
        GatewayBinding binding, int handler, string path, string connectionId, ActivityContext parent, ActivityContext handshake)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        // The connection's flow still has the upgrade request's activity as Current; a message is not its child.
        Activity.Current = null;
        Activity? activity = Source.StartActivity(
            HandleMessage, ActivityKind.Server, parent, tags: null, links: handshake == default ? null : [new ActivityLink(handshake)]);
        if (activity is { IsAllDataRequested: true })
        {
            string @event = binding.Definition.Events[handler];
            activity.DisplayName = $"{binding.Definition.Name}/{@event}";
            activity.SetTag("gateway.name", binding.Definition.Name);
            activity.SetTag("gateway.path", path);
            activity.SetTag("gateway.event", @event);
            activity.SetTag("gateway.connection.id", connectionId);
        }

        return activity;
    }
}
