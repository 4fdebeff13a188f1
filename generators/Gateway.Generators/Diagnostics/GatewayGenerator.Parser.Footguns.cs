using Gateway.Generators.Helpers;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators;

public sealed partial class GatewayGenerator
{
    internal static partial class Parser
    {
        /// <summary>
        /// What kind of value can never be JSON (<c>"a stream"</c>), or null when the type can be: such a type gets a
        /// message saying so, never advice to add <c>[JsonSerializable]</c> for it, which System.Text.Json would refuse.
        /// </summary>
        private static string? NonJsonKind(ITypeSymbol type, KnownTypeSymbols known)
        {
            if (type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T
                && type is INamedTypeSymbol { TypeArguments: [ITypeSymbol inner] })
            {
                type = inner;
            }

            return type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer ? "a pointer"
                : type.IsRefLikeType ? "a ref struct (such as Span<T>), which lives only on the stack"
                : type.TypeKind == TypeKind.Delegate
                    || type.SpecialType is SpecialType.System_Delegate or SpecialType.System_MulticastDelegate ? "a delegate"
                : type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr ? "a native-sized integer (IntPtr, nint)"
                : IsAsyncShape(type, known) ? "a task or async stream, not a value"
                : DerivesFromOrIs(type, known.Stream) ? "a stream"
                : DerivesFromOrIs(type, known.SystemType) || DerivesFromOrIs(type, known.MemberInfo) ? "a reflection type"
                : null;
        }

        /// <summary>
        /// Whether a handler parameter without <c>[MessageBody]</c> or <c>[FromServices]</c> may come from dependency
        /// injection implicitly. Services are nearly always consumed through an interface or an abstract class
        /// (<c>ILogger&lt;T&gt;</c>, <c>IGatewayServer&lt;T&gt;</c>, <c>TimeProvider</c>) or are delegates; a record, a
        /// struct or another concrete class is far more often data with a forgotten <c>[MessageBody]</c>, which would
        /// fail only at run time ("No service for type"), so it must say where it comes from.
        /// </summary>
        private static bool IsImplicitService(ITypeSymbol type) =>
            type.TypeKind is TypeKind.Interface or TypeKind.Delegate or TypeKind.Error or TypeKind.TypeParameter
            || (type.TypeKind == TypeKind.Class && type.IsAbstract && !type.IsRecord);

        private static bool DerivesFromOrIs(ITypeSymbol type, INamedTypeSymbol? known)
        {
            for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
            {
                if (current.Is(known))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
