using System.Globalization;
using Gateway.LoadTest;

// Numbers in the report and on worker command lines are culture-invariant.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args.Length > 0 && args[0] == "--worker")
{
    return Worker.Run(args);
}

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.Out.WriteLine(HarnessOptions.Usage);
    return 0;
}

HarnessOptions options;
try
{
    options = HarnessOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(HarnessOptions.Usage);
    return 2;
}

return Harness.Run(options);
