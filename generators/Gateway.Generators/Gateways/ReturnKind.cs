namespace Gateway.Generators.Model;

/// <summary>How a handler's result is produced: directly, awaited, or streamed.</summary>
internal enum ReturnKind
{
    /// <summary><c>void</c>: nothing is sent.</summary>
    Void,

    /// <summary><c>Task</c>: awaited, nothing is sent.</summary>
    Task,

    /// <summary><c>ValueTask</c>: awaited, nothing is sent.</summary>
    ValueTask,

    /// <summary>A value sent as one frame.</summary>
    Value,

    /// <summary><c>Task&lt;T&gt;</c>: awaited, then sent as one frame.</summary>
    TaskOfValue,

    /// <summary><c>ValueTask&lt;T&gt;</c>: awaited, then sent as one frame.</summary>
    ValueTaskOfValue,

    /// <summary><c>IAsyncEnumerable&lt;T&gt;</c>: one frame per item.</summary>
    AsyncEnumerable,
}
