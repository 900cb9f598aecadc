namespace Polaris.EndToEnd.Tests;

/// <summary>A module system as a shell meets it: the init script a login sources to get a <c>module</c> command.</summary>
internal interface IModuleSystem
{
    /// <summary>The init script for <paramref name="shell"/> (bash or tcsh).</summary>
    string InitScript(string shell);
}
