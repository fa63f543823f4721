-- Warns about production pods that run an image without a fixed version: no tag, or `latest`.
-- Such a pod can run different code after a reschedule. Digests (`@sha256:...`) are fixed.
-- On add only: a running pod's images rarely change, and a new pod is added for each rollout.

local pods = require("pods")

-- The tag of an image reference, "digest" when it is pinned by digest, nil when it has none.
-- The tag is after the last ":" of the last path part: "registry:5000/app" has no tag.
local function tag_of(image)
  if image:find("@", 1, true) then return "digest" end
  return image:match("[^/]*$"):match(":(.+)$")
end

function on_add(pod, ctx)
  for _, containers in ipairs({ pod.spec.initContainers or {}, pod.spec.containers }) do
    for _, container in ipairs(containers) do
      local tag = tag_of(container.image)
      if tag == nil or tag == "latest" then
        log.warn(pods.ref(pod) .. " runs an unpinned image", {
          container = container.name, image = container.image, owner = pods.owner(pod),
        })
      end
    end
  end
end
