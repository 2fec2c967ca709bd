-- Spec: eco.unloop() ends the program with status 0 even while a task
-- still sleeps (eco-api.md §1.4, E4).
local eco = require 'eco'
eco.run(function() eco.sleep(30) print('sleeper woke') end)
eco.run(function()
    eco.sleep(0.01)
    print('unloop')
    eco.unloop()
end)
