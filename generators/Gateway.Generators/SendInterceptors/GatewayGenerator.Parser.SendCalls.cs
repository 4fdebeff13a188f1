using System.Threading;
using Gateway.Generators.Helpers;
using Gateway.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Gateway.Generators;

public sealed partial class GatewayGenerator
{
    internal static partial class Parser
    {
        /// <summary>Cheap syntactic filter: a call of a member named Send or SendAsync.</summary>
        public static bool IsSendCall(SyntaxNode node) =>
            node is InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Send" or "SendAsync" }
                    or MemberBindingExpressionSyntax { Name.Identifier.ValueText: "Send" or "SendAsync" },
            }
            // A method group (Func<...> f = target.Send;) cannot be intercepted: found here only to be reported.
            or MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Send" or "SendAsync", Parent: not InvocationExpressionSyntax };

        /// <summary>
        /// Recognizes calls of the generated sends that take no <c>JsonTypeInfo</c> (<c>GatewaySendExtensions</c>): the
        /// generator must bind their metadata. Any other call named Send/SendAsync gives null.
        /// </summary>
        public static SendCallParseResult? ParseSendCall(GeneratorSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.Node is not InvocationExpressionSyntax invocation)
            {
                return ParseSendMethodGroup(context, cancellationToken);
            }

            KnownTypeSymbols known = KnownTypeSymbols.For(context.SemanticModel.Compilation);
            if (context.SemanticModel.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol
                {
                    IsGenericMethod: true,
                    TypeArguments: [ITypeSymbol data],
                } method)
            {
                return null;
            }

            SendCallKind? kind = SendKind(method, known);
            if (kind is null)
            {
                return null;
            }

            // Each reason ends with what to do, and never with advice that cannot work (a JsonTypeInfo for an anonymous type).
            string? problem = data.TypeKind == TypeKind.TypeParameter
                    ? "it is a type parameter, known only at run time; pass a JsonTypeInfo<T> explicitly"
                : data.IsAnonymousType
                    ? "an anonymous type has no source-generated JSON metadata, and none can be declared for it; declare a record for the data and send that"
                : NonJsonKind(data, known) is { } nonJson
                    ? $"it is {nonJson}, which cannot be sent as JSON; send a type that describes the data"
                : !IsSerializable(data) ? "it has no compile-time JSON shape; send a concrete type, or pass a JsonTypeInfo<T> explicitly"
                : null;
#pragma warning disable RSEXPERIMENTAL002 // The interceptable-location API is how Roslyn wants interceptors addressed.
            InterceptableLocation? location = problem is null ? context.SemanticModel.GetInterceptableLocation(invocation, cancellationToken) : null;
            if (problem is null && location is null)
            {
                problem = "this form of call cannot be intercepted; pass a JsonTypeInfo<T> explicitly";
            }

            if (problem is not null)
            {
                return new SendCallParseResult(null, invocation.GetLocation(), Diagnostic.Create(
                    DiagnosticDescriptors.UnboundSend, invocation.GetLocation(), data.ToDisplayString(), problem));
            }

            FileLinePositionSpan line = invocation.GetLocation().GetLineSpan();
            string display = $"{System.IO.Path.GetFileName(line.Path)}({line.StartLinePosition.Line + 1},{line.StartLinePosition.Character + 1})";
            var spec = new SendCallSpec(kind.Value, new JsonTypeSpec(CreateTypeRef(data), data.ToDisplayString()), location!.Version, location.Data, display);
#pragma warning restore RSEXPERIMENTAL002
            return new SendCallParseResult(spec, invocation.GetLocation(), null);
        }

        private static SendCallParseResult? ParseSendMethodGroup(GeneratorSyntaxContext context, CancellationToken cancellationToken)
        {
            KnownTypeSymbols known = KnownTypeSymbols.For(context.SemanticModel.Compilation);
            if (context.SemanticModel.GetSymbolInfo(context.Node, cancellationToken).Symbol is not IMethodSymbol
                {
                    IsGenericMethod: true,
                    TypeArguments: [ITypeSymbol data],
                } method
                || SendKind(method, known) is null)
            {
                return null;
            }

            return new SendCallParseResult(null, context.Node.GetLocation(), Diagnostic.Create(
                DiagnosticDescriptors.UnboundSend,
                context.Node.GetLocation(),
                data.ToDisplayString(),
                "a method group cannot be intercepted; call the method directly"));
        }

        /// <summary>Which of the generated sends (<c>GatewaySendExtensions</c>, a post-initialization source) is called.</summary>
        private static SendCallKind? SendKind(IMethodSymbol method, KnownTypeSymbols known)
        {
            IMethodSymbol declared = method.ReducedFrom ?? method;
            if (!declared.ContainingType.Is(known.GatewaySendExtensions) || declared.Parameters.Length == 0)
            {
                return null;
            }

            ITypeSymbol receiver = declared.Parameters[0].Type;
            return receiver.Is(known.GatewayClient) ? SendCallKind.ClientSendAsync
                : !receiver.Is(known.GatewayTarget) ? null
                : method.Name == "Send" ? SendCallKind.TargetSend
                : SendCallKind.TargetSendAsync;
        }
    }
}
