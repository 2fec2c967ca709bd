local websocket = require "silly.net.websocket"
