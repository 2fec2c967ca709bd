-- Methods stored in a table share the object's upvalues.
local function account(balance)
  local self = {}
  function self.deposit(v) balance = balance + v end
  function self.withdraw(v)
    if v > balance then return false, "insufficient" end
    balance = balance - v
    return true
  end
  function self.balance() return balance end
  return self
end
local acc = account(100)
acc.deposit(50)
print("bal", acc.balance())
print("w1", acc.withdraw(30))
print("w2", acc.withdraw(500))
print("bal2", acc.balance())
