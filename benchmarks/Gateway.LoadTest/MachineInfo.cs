using System.Runtime.InteropServices;

namespace Gateway.LoadTest;

/// <summary>What the report says about the machine.</summary>
internal sealed record MachineInfo(int Cores, string CpuModel, string Os, string Kernel, string Dotnet, long MemoryMb)
{
    /// <summary>The commit the servers were built from, and whether the working tree differed from it.</summary>
    public static string SourceVersion()
    {
        string? root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "Gateway.sln")))
        {
            root = Path.GetDirectoryName(root.TrimEnd(Path.DirectorySeparatorChar));
        }

        if (root is null)
        {
            return "unknown commit";
        }

        string commit = Git(root, "rev-parse --short HEAD").Trim();
        string[] changed = Git(root, "status --porcelain -- src generators samples benchmarks/Servers")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return commit.Length == 0 ? "unknown commit"
            : changed.Length == 0 ? $"commit {commit}"
            : $"commit {commit} plus {changed.Length} uncommitted change(s) under src/, generators/, samples/ or benchmarks/Servers/";
    }

    private static string Git(string root, string arguments)
    {
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("git", $"-C \"{root}\" {arguments}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var git = System.Diagnostics.Process.Start(start)!;
            string output = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : "";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "";
        }
    }

    public static MachineInfo Read()
    {
        string[] cpuinfo = ReadLines("/proc/cpuinfo");
        int cores = cpuinfo.Count(line => line.StartsWith("processor", StringComparison.Ordinal));
        string model = cpuinfo.FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            ?? RuntimeInformation.ProcessArchitecture.ToString();
        string os = ReadLines("/etc/os-release").FirstOrDefault(line => line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?
            ["PRETTY_NAME=".Length..].Trim('"') ?? RuntimeInformation.OSDescription;
        string kernel = ReadLines("/proc/sys/kernel/osrelease").FirstOrDefault() ?? "";
        string? memory = ReadLines("/proc/meminfo").FirstOrDefault(line => line.StartsWith("MemTotal:", StringComparison.Ordinal));
        long memoryMb = memory is null ? 0 : long.Parse(memory.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
        return new MachineInfo(cores > 0 ? cores : Environment.ProcessorCount, model, os, kernel, RuntimeInformation.FrameworkDescription, memoryMb);
    }

    private static string[] ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
