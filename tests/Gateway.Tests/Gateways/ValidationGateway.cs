using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Validation;

// [ValidatableType] is experimental in .NET 10 (ASP0029); README "Pipeline" says how applications opt in.
#pragma warning disable ASP0029

namespace Gateway.Tests.Gateways;

[ValidatableType]
public sealed class Order
{
    [Required]
    [StringLength(10, MinimumLength = 2)]
    public string? Name { get; set; }

    [Range(1, 100)]
    public int Quantity { get; set; }

    public Address? ShipTo { get; set; }

    public List<OrderLine> Lines { get; set; } = [];
}

[ValidatableType]
public sealed class Address
{
    [Required]
    public string? City { get; set; }
}

public sealed class OrderLine
{
    [Range(1, 5)]
    public int Qty { get; set; }
}

/// <summary>Payloads validated before their handlers run, one opted out, one property bound alone.</summary>
[WebSocketGateway("/validation")]
public partial class ValidationGateway
{
    [SubscribeMessage("order")]
    public string Place([MessageBody] Order order) => $"placed {order.Quantity} for {order.Name}";

    [SubscribeMessage("unchecked")]
    public string Unchecked([MessageBody, SkipValidation] Order order) => $"accepted {order.Quantity}";

    [SubscribeMessage("ship")]
    public string Ship([MessageBody("shipTo")] Address address, [MessageBody("name")] string? name) => $"{name} ships to {address.City}";

    [SubscribeMessage("maybe")]
    public string Maybe([MessageBody] Order? order) => order is null ? "nothing" : "something";
}
