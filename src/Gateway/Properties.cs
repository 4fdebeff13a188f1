// The types that exist only for generated code live in Gateway.Infrastructure; the runtime itself uses them everywhere.
global using Gateway.Infrastructure;
using System.Runtime.CompilerServices;

// The dispatch path stackallocs a scratch buffer per message; it never reads before writing, so skip zeroing it.
[module: SkipLocalsInit]
