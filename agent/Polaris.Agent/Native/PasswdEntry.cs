namespace Polaris.Agent.Native;

/// <summary>What the passwd database says about one uid.</summary>
/// <param name="Name">The login name.</param>
/// <param name="Home">The home directory.</param>
public sealed record PasswdEntry(string Name, string Home)
{
    /// <summary>Looks a uid up through NSS (files, LDAP, sssd: whatever the node uses); null when unknown.</summary>
    public static unsafe PasswdEntry? Lookup(uint uid)
    {
        Libc.Passwd pwd;
        Libc.Passwd* result = null;
        int size = 1024;
        while (size <= 1 << 20)
        {
            byte[] buffer = new byte[size];
            fixed (byte* b = buffer)
            {
                int rc = Libc.getpwuid_r(uid, &pwd, b, (nuint)size, &result);
                const int ERANGE = 34;
                if (rc == ERANGE)
                {
                    size *= 4;
                    continue;
                }
                if (rc != 0 || result == null)
                {
                    return null;
                }
                return new PasswdEntry(NativeStrings.FromUtf8(pwd.Name) ?? "", NativeStrings.FromUtf8(pwd.Home) ?? "");
            }
        }
        return null;
    }
}
