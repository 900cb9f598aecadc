namespace Polaris.Agent.Native;

/// <summary>What the passwd database says about one uid.</summary>
/// <param name="Name">The login name.</param>
/// <param name="Home">The home directory.</param>
public sealed record PasswdEntry(string Name, string Home)
{
    /// <summary>The primary group.</summary>
    public uint Gid { get; init; }

    /// <summary>Every group the user is in (primary and supplementary), as NSS says; only the primary one when the
    /// look-up fails.</summary>
    public unsafe uint[] Groups()
    {
        byte* name = NativeStrings.Utf8(Name);
        try
        {
            int count = 64;
            while (count <= 1 << 16)
            {
                var groups = new uint[count];
                int found = count;
                fixed (uint* g = groups)
                {
                    if (Libc.getgrouplist(name, Gid, g, &found) >= 0)
                    {
                        return groups[..found];
                    }
                }
                count = Math.Max(count * 2, found);
            }
            return [Gid];
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.Free(name);
        }
    }

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
                return new PasswdEntry(NativeStrings.FromUtf8(pwd.Name) ?? "", NativeStrings.FromUtf8(pwd.Home) ?? "") { Gid = pwd.Gid };
            }
        }
        return null;
    }
}
