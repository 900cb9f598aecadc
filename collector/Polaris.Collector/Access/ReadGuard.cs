using Polaris.Collector.Metrics;

namespace Polaris.Collector.Access;

/// <summary>Guards the read endpoints: aggregates take a read or admin token, what names users and jobs an admin
/// token; a level with no token configured answers loopback only.</summary>
/// <remarks>
/// Separate files let an admin give Prometheus a read token without giving it the agents' token (which posts) or
/// the right to see users. Loopback stays open when nothing is configured so that a collector set up on one
/// machine works at once, and opening it to the network is a decision that comes with tokens.
/// </remarks>
public sealed class ReadGuard
{
    private readonly TokenSet _read;
    private readonly TokenSet _admin;

    public ReadGuard(CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _read = TokenSet.Load(options.ReadTokenFile, "readTokenFile");
        _admin = TokenSet.Load(options.AdminTokenFile, "adminTokenFile");
    }

    /// <summary>The status a request for <paramref name="level"/> gets: 200 (admitted), 401 (no or a wrong token)
    /// or 403 (no token configured and the request is not from loopback; for <see cref="ReadLevel.Imports"/>, no
    /// admin token configured).</summary>
    public int Check(HttpContext context, ReadLevel level)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (level == ReadLevel.Imports)
        {
            return _admin.IsEmpty ? StatusCodes.Status403Forbidden
                : _admin.Admits(context.Request) ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized;
        }
        bool configured = level == ReadLevel.UserData ? !_admin.IsEmpty : !(_read.IsEmpty && _admin.IsEmpty);
        if (!configured)
        {
            return Loopback.Is(context) ? StatusCodes.Status200OK : StatusCodes.Status403Forbidden;
        }
        bool admitted = _admin.Admits(context.Request) | (level == ReadLevel.Aggregates && _read.Admits(context.Request));
        return admitted ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized;
    }

    /// <summary>Middleware: answers a guarded endpoint's request that is not admitted before the endpoint runs.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetEndpoint()?.Metadata.GetMetadata<ReadLevelMetadata>() is { } guarded)
        {
            int status = Check(context, guarded.Level);
            if (status != StatusCodes.Status200OK)
            {
                context.RequestServices.GetRequiredService<CollectorMetrics>().ReadDenied();
                context.Response.StatusCode = status;
                if (status == StatusCodes.Status401Unauthorized)
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                }
                await context.Response.WriteAsync((status, guarded.Level) switch
                {
                    (StatusCodes.Status401Unauthorized, ReadLevel.Imports) => "a valid admin token is required\n",
                    (StatusCodes.Status401Unauthorized, _) => "a valid read token is required\n",
                    (_, ReadLevel.Imports) => "imports are taken only with an admin token, and this collector has no admin token file "
                        + "(adminTokenFile); without a running collector, import into its data folder directly (no --collector)\n",
                    _ => "reads are answered on loopback only until a read or admin token file is configured\n",
                }).ConfigureAwait(false);
                return;
            }
        }
        await next(context).ConfigureAwait(false);
    }
}
