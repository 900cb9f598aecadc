#%Module1.0
##
## Environment Modules modulefile: the Polaris Agent's Python hook for every Python this shell starts, as
## `polaris-agent env` sets it. The package installs it as /usr/share/modulefiles/polaris-agent/VERSION, beside Lmod's
## VERSION.lua, which Environment Modules passes over: that file lacks the magic cookie above.
##

set hook {/usr/lib/polaris-agent/hook}

proc ModulesHelp { } {
    puts stderr "polaris-agent puts the Polaris Agent's hook first on PYTHONPATH. Every Python you start then notes"
    puts stderr "the modules it imports in a file that the node's polaris-agent daemon reads. The hook never prints"
    puts stderr "and never changes what your program does. Unload the module to stop."
}

module-whatis "polaris-agent: notes which Python modules your programs import, for the facility's usage reports"

# Another version of it loaded at once would add nothing.
conflict polaris-agent

# prepend-path drops an empty PYTHONPATH rather than leave "HOOK:", whose empty entry would put the working folder on
# sys.path; unloading takes out this entry alone, so the user's entries and other modules' stay as they were.
prepend-path PYTHONPATH $hook

# A site whose drop folder is not the hook's default (/var/spool/polaris-agent/incoming) names it here:
# setenv POLARIS_AGENT_DROP /path/to/incoming
