-- Lmod modulefile: the Polaris Agent's Python hook for every Python this shell starts, as `polaris-agent env` sets it.
-- The package installs it as /usr/share/modulefiles/polaris-agent/VERSION.lua, beside the Tcl modulefile VERSION
-- (Environment Modules'): where both exist, Lmod reads the .lua one.

local hook = "/usr/lib/polaris-agent/hook"

whatis("Name: polaris-agent")
whatis("Description: notes which Python modules your programs import, for the facility's usage reports")

help([[
polaris-agent puts the Polaris Agent's hook first on PYTHONPATH. Every Python you start then notes the modules it
imports in a file that the node's polaris-agent daemon reads. The hook never prints and never changes what your
program does. Unload the module to stop.
]])

-- Another version of it loaded at once would add nothing.
conflict("polaris-agent")

-- prepend_path drops an empty PYTHONPATH rather than leave "HOOK:", whose empty entry would put the working folder on
-- sys.path; unloading takes out this entry alone, so the user's entries and other modules' stay as they were.
prepend_path("PYTHONPATH", hook)

-- A site whose drop folder is not the hook's default (/var/spool/polaris-agent/incoming) names it here:
-- setenv("POLARIS_AGENT_DROP", "/path/to/incoming")
