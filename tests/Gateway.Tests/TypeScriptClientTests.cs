using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>
/// The TypeScript client package (src/gateway-client) against a real server: its contract generator run on this
/// server's AsyncAPI document (output compared with a checked-in snapshot, then type-checked with tsc against a typed
/// usage file whose <c>@ts-expect-error</c> lines must be errors), and its own tests under Node's test runner.
/// </summary>
[Collection(nameof(HeavyProcesses))]
public sealed class TypeScriptClientTests : IAsyncLifetime
{
    private static readonly string s_package = ChildProcess.AssemblyMetadata("TypeScriptClientDirectory");
    private GatewayServer _server = null!;

    public async Task InitializeAsync()
    {
        Assert.True(
            File.Exists(Path.Combine(s_package, "node_modules", "typescript", "package.json")),
            $"npm packages are missing in {s_package}: the test project's build restores them with 'npm ci' " +
            "(target RestoreTypeScriptClient); build it with Node 20 and npm on the PATH, or run 'npm ci' there.");
        _server = await GatewayServer.StartAsync(
            g => g.AddGateway<CorrelationGateway>().AddGateway<ReturnKindsGateway>().AddGateway<NeverAnswersGateway>()
                .AddGateway<ErrorsGateway>().AddGateway<ChatGateway>(),
            configure: o =>
            {
                o.MaxParallelMessagesPerConnection = 4;
                // The client's resumption tests: one comes back at once, one after the window.
                o.Resumption.Enabled = true;
                o.Resumption.Window = TimeSpan.FromSeconds(2);
            },
            services: s => s.AddSingleton<Counter>(),
            configureApp: app => app.MapGatewaysAsyncApi(configure: o => o.Title = "Gateway tests"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Generated_contracts_match_their_snapshots_and_type_check()
    {
        string generated = Path.Combine(s_package, "test", "generated");
        Directory.CreateDirectory(generated);
        foreach ((string channel, string name) in ((string, string)[])[("/kinds", "Kinds"), ("/chat", "Chat")])
        {
            string contract = await RunAsync("node", ["contracts.js", Http("/asyncapi.json"), "--channel", channel, "--name", name]);
            await File.WriteAllTextAsync(Path.Combine(generated, name.ToLowerInvariant() + ".d.ts"), contract);
            Snapshot.Matches(name.ToLowerInvariant() + ".contract.verified.d.ts", contract);
        }

        // tsc must find no error beyond those the usage file expects (an unused @ts-expect-error is an error too).
        string output = await RunAsync("node", ["node_modules/typescript/bin/tsc", "-p", "test"]);
        Assert.DoesNotContain("error", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_clients_own_tests_pass_against_the_server()
    {
        string output = await RunAsync(
            "node", ["--test", "--test-reporter=spec", "test/"], new Dictionary<string, string> { ["GATEWAY_URL"] = _server.BaseUri.ToString().TrimEnd('/') });

        Assert.Contains("ℹ pass 9", output);
        Assert.Contains("ℹ fail 0", output);
    }

    private string Http(string path) => new UriBuilder(_server.Url(path)) { Scheme = "http" }.Uri.ToString();

    private static async Task<string> RunAsync(string fileName, string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        await using ChildProcess process = ChildProcess.Start(fileName, arguments, s_package, environment: environment);
        int exitCode = await process.WaitForExitAsync();
        Assert.True(exitCode == 0, $"{fileName} {string.Join(' ', arguments)} exited with {exitCode}:\n{process.Output}");
        return process.Output;
    }
}
