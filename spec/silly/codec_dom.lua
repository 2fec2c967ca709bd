-- Spec: silly.net.http.dom. Run with --fatal-errors; prints "codec_dom ok".
local dom = require "silly.net.http.dom"

local page = [[
<!DOCTYPE html>
<html>
 <head>
  <meta charset="utf-8">
  <title>Shop &amp; more</title>
  <style>p > b { color: red }</style>
 </head>
 <body class="main wide">
  <!-- a comment <p>not a node</p> -->
  <div id="menu" class="nav">
   <a href='/home' class="item first">Home</a>
   <a href="/cart" class=item data-x=1 hidden>Cart &#40;2&#41;</a>
   <br>
   <img src="x.png"/>
  </div>
  <p>Price: &lt;5&gt; &quot;cheap&quot;&nbsp;&unknown;</p>
  <script>if (a < b) { x = "</div>" }</script>
 </body>
</html>
]]
local root = assert(dom.parse(page))
assert(root.name == "html")
local body = root:select("body")[1]
assert(body and body.class[1] == "main" and body.class[2] == "wide" and body.attr.class == "main wide")
local menu = root:select("#menu")
assert(#menu == 1 and menu[1].name == "div" and menu[1].attr.id == "menu")
local items = root:select("a.item")
assert(#items == 2 and items[1].attr.href == "/home" and items[2].attr.href == "/cart")
assert(items[2].attr["data-x"] == "1" and items[2].attr.hidden == true)
assert(items[1]:text() == "Home" and items[2]:text() == "Cart (2)")
assert(#root:select(".first") == 1 and #root:select("a.first#menu") == 0)
assert(root:select("title")[1]:text() == "Shop & more")
assert(root:select("p")[1]:text() == 'Price: <5> "cheap" &unknown;')
assert(root:select("style")[1].child[1] == "p > b { color: red }")
assert(root:select("script")[1].child[1] == 'if (a < b) { x = "</div>" }')
-- void elements have no children and do not swallow their siblings
local br, img = root:select("br")[1], root:select("img")[1]
assert(br and #br.child == 0 and img and img.attr.src == "x.png")
assert(#root:select("meta") == 1 and #root:select("div") == 1)
-- the whole text, in document order
local buf = {}
menu[1]:value(buf)
assert(table.concat(buf, "|") == "Home|Cart (2)")
assert(root:match({ name = "html" }) and not root:match({ name = "body" }))
assert(body:match({ class = "wide", name = "body" }) and not body:match({ id = "menu" }))
-- selectn: select from the first match, level times
local nested = assert(dom.parse("<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>"))
assert(#nested:select("li") == 3)
-- (select includes the node it starts from)
local inner = nested:selectn("li", 2)
assert(#inner == 2 and inner[1]:text() == "ab" and inner[2]:text() == "b")
assert(#nested:selectn("ul", 2) == 2)
-- a closing tag that does not match closes the element anyway
local loose = assert(dom.parse("<div><p>one<b>two</div>"))
assert(loose.name == "div" and loose:text() == "onetwo")
-- errors: nil, err
assert(dom.parse("") == nil and dom.parse("   ") == nil)
local none, err = dom.parse("just text")
assert(none == nil and err:find("expected '<'"), tostring(err))
none, err = dom.parse('<a href="unterminated>x</a>')
assert(none == nil and err:find("unterminated"), tostring(err))
none, err = dom.parse("<p>text without end")
assert(none == nil and err, tostring(err))
none, err = dom.parse("<script>never closed")
assert(none == nil and err:find("not closed"), tostring(err))
assert(not pcall(dom.parse, nil))
print("codec_dom ok")
