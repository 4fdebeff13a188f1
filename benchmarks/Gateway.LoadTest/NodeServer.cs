using System.Diagnostics;

namespace Gateway.LoadTest;

/// <summary>
/// A Node peer server (benchmarks/Servers/NodeSocketIO): its npm packages are restored by the harness itself, with
/// <c>npm ci</c> when node_modules is missing or older than package-lock.json (the test project's rule), so that the
/// build needs no Node and CI's smoke run (a fresh clone) needs nothing but Node and npm.
/// </summary>
internal static class NodeServer
{
    private static readonly TimeSpan s_npmTimeout = TimeSpan.FromMinutes(5);

    /// <returns>The command that runs <paramref name="script"/>, or null after saying on stderr what is missing.</returns>
    public static IReadOnlyList<string>? Command(string key, string script)
    {
        string folder = Path.GetDirectoryName(script)!;
        if (!Restored(folder) && !Restore(key, folder))
        {
            return null;
        }

        return ["node", script];
    }

    /// <summary>npm ci writes node_modules/.package-lock.json last: its presence means a complete install.</summary>
    private static bool Restored(string folder)
    {
        string installed = InstalledLock(folder);
        return File.Exists(installed) &&
            File.GetLastWriteTimeUtc(installed) >= File.GetLastWriteTimeUtc(Path.Combine(folder, "package-lock.json"));
    }

    private static bool Restore(string key, string folder)
    {
        string help = $"the {key} server needs its npm packages: run `npm ci` in {folder} (Node 20 and npm), " +
            $"or leave {key} out of --servers";
        Harness.Log($"{key}: restoring its npm packages in {folder} (npm ci)");
        var start = new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            using Process npm = Process.Start(start) ?? throw new InvalidOperationException("npm did not start");
            // Both pipes drained at once: npm blocks on a full one.
            Task<string> output = npm.StandardOutput.ReadToEndAsync();
            Task<string> errors = npm.StandardError.ReadToEndAsync();
            if (!npm.WaitForExit(s_npmTimeout))
            {
                npm.Kill(entireProcessTree: true);
                Console.Error.WriteLine($"npm ci did not finish within {s_npmTimeout.TotalMinutes} min; {help}");
                return false;
            }

            npm.WaitForExit();
            if (npm.ExitCode != 0)
            {
                Console.Error.WriteLine($"npm ci failed (exit code {npm.ExitCode}): {output.Result}{errors.Result}\n{help}");
                return false;
            }
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Console.Error.WriteLine($"npm could not be started ({ex.Message}); {help}");
            return false;
        }

        // npm may keep the lockfile's old time; mark this install as newer than package-lock.json.
        if (File.Exists(InstalledLock(folder)))
        {
            File.SetLastWriteTimeUtc(InstalledLock(folder), DateTime.UtcNow);
        }

        if (!Restored(folder))
        {
            Console.Error.WriteLine($"npm ci left no {InstalledLock(folder)}; {help}");
            return false;
        }

        return true;
    }

    private static string InstalledLock(string folder) => Path.Combine(folder, "node_modules", ".package-lock.json");
}
