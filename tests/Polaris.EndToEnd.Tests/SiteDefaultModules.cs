namespace Polaris.EndToEnd.Tests;

/// <summary>What a site adds to load the modulefile at every login, as the operator's guide gives it: for Lmod, the
/// profile.d scripts its documentation names for default modules; for Environment Modules, lines at the end of
/// /etc/environment-modules/initrc.</summary>
internal static class SiteDefaultModules
{
    /// <summary>/etc/profile.d/z00_StdEnv.sh, read after Lmod's own profile.d script.</summary>
    public const string LmodProfileSh = """
        if [ -z "${__Init_Default_Modules:-}" ]; then
           export __Init_Default_Modules=1
           export LMOD_SYSTEM_DEFAULT_MODULES="${LMOD_SYSTEM_DEFAULT_MODULES:-polaris-agent}"
           module --initial_load --no_redirect restore
        else
           module refresh
        fi
        """;

    /// <summary>/etc/profile.d/z00_StdEnv.csh, for csh and tcsh.</summary>
    public const string LmodProfileCsh = """
        if ( ! $?__Init_Default_Modules ) then
           setenv __Init_Default_Modules 1
           if ( ! $?LMOD_SYSTEM_DEFAULT_MODULES ) then
              setenv LMOD_SYSTEM_DEFAULT_MODULES "polaris-agent"
           endif
           module --initial_load restore
        else
           module refresh
        endif
        """;

    /// <summary>Appended to /etc/environment-modules/initrc. Environment Modules reports every module that initrc
    /// loads ("Loading polaris-agent/VERSION") on each login's stderr; concise verbosity keeps this load quiet, and the
    /// reset leaves no MODULES_VERBOSITY behind. The <c>module use</c> line is for a modulespath without
    /// /usr/share/modulefiles (Debian's; RHEL's lists it).</summary>
    public const string EnvironmentModulesInitRc = """
        module use --append /usr/share/modulefiles
        module config verbosity concise
        module load polaris-agent
        module config --reset verbosity
        """;
}
