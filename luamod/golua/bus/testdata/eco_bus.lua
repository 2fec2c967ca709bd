-- golua.bus in the eco dialect: tasks made with eco.run.
local eco = require 'eco'
local time = require 'eco.time'
local bus = require 'golua.bus'

eco.run(function()
    local sub = assert(bus.subscribe('chat.*'))
    assert(sub:subject() == 'chat.*')
    assert(tostring(sub) == 'golua.bus.sub: chat.*', tostring(sub))

    -- recv with a timeout in seconds, and a poll.
    local t0 = time.now()
    local data, err = sub:recv(0.05)
    assert(data == nil and err == 'timeout', tostring(err))
    assert(time.now() - t0 >= 0.04, 'recv(0.05) returned early')
    data, err = sub:recv(0)
    assert(data == nil and err == 'timeout', tostring(err))

    -- A task blocked in recv does not block the others.
    local ticks, got = 0, nil
    eco.run(function()
        got = { sub:recv(10) }
    end)
    eco.run(function()
        for _ = 1, 5 do
            ticks = ticks + 1
            time.sleep(0.01)
        end
        assert(bus.publish('chat.room', 'hello') == true)
    end)
    while not got do time.sleep(0.005) end
    assert(ticks == 5, 'recv blocked the other task: ' .. ticks)
    assert(got[1] == 'hello' and got[2] == 'chat.room' and got[3] == nil)

    -- Wildcards: '*' is one token, '>' the rest.
    local deep = assert(bus.subscribe('chat.>'))
    assert(bus.publish('chat.room.private', 'deep'))
    assert(bus.publish('news.x', 'other'))
    assert(deep:recv(1) == 'deep')
    assert(select(2, sub:recv(0)) == 'timeout')
    deep:close()

    -- Bad input: nil, err; numbers are converted to strings.
    local ok, e = bus.publish('chat.*', 'x')
    assert(ok == nil and e == 'bad subject "chat.*": wildcard in a publish subject', e)
    ok, e = bus.subscribe('a..b')
    assert(ok == nil and e == 'bad subject "a..b": empty token', e)
    assert(bus.publish('chat.n', 42))
    assert(sub:recv(1) == '42')
    assert(not pcall(bus.publish, 'chat.x', {}))

    -- Request/reply.
    local svc = assert(bus.subscribe('svc.echo'))
    local svc_end
    eco.run(function()
        while true do
            local d, subj, reply = svc:recv()
            if not d then svc_end = subj return end
            assert(subj == 'svc.echo' and reply)
            assert(bus.publish(reply, 'echo:' .. d))
        end
    end)
    assert(bus.request('svc.echo', 'ping', 2) == 'echo:ping')
    assert(bus.request('svc.echo', 'again') == 'echo:again')
    local r, re = bus.request('svc.none', 'x', 1)
    assert(r == nil and re == 'no responders', re)
    local mute <close> = assert(bus.subscribe('svc.mute'))
    r, re = bus.request('svc.mute', 'x', 0.05)
    assert(r == nil and re == 'timeout', re)

    -- close wakes a waiting recv with 'closed'.
    svc:close()
    while not svc_end do time.sleep(0.005) end
    assert(svc_end == 'closed', svc_end)
    assert(select(2, svc:recv()) == 'closed')
    svc:close()

    sub:close()
    print('ok')
end)
