namespace Gateway.Tests.Infrastructure;

/// <summary>Checked-in snapshots of generated text (tests/Gateway.Tests/Snapshots); GATEWAY_ACCEPT_SNAPSHOTS=1 writes them instead.</summary>
public static class Snapshot
{
    private static readonly string s_folder = Path.Combine(Path.GetDirectoryName(SampleProcess.NodeDirectory)!, "Snapshots");

    public static void Matches(string name, string actual)
    {
        string path = Path.Combine(s_folder, name);
        if (Environment.GetEnvironmentVariable("GATEWAY_ACCEPT_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(s_folder);
            File.WriteAllText(path, actual);
        }

        Assert.True(File.Exists(path), $"No snapshot {path}: run with GATEWAY_ACCEPT_SNAPSHOTS=1 to write it, then review it.");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual.ReplaceLineEndings("\n"));
    }
}
