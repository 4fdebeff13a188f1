using System.Runtime.CompilerServices;

// The dispatch path stackallocs a scratch buffer per message; it never reads before writing, so skip zeroing it.
[module: SkipLocalsInit]
