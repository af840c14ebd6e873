#include "layout/combine.hpp"

#include <map>
#include <utility>
#include <variant>

namespace factsheet {

PagedDocument combine(std::vector<CombinedPart> parts) {
    PagedDocument out;
    if (parts.empty()) return out;
    out.info = parts.front().doc.info;
    for (std::size_t i = 1; i < parts.size(); ++i)
        if (!parts[i].doc.info.title.empty()) out.info.title += " / " + parts[i].doc.info.title;
    bool tagged = false;
    for (const CombinedPart& part : parts) tagged = tagged || !part.doc.structure.empty();
    if (tagged) out.structure.push_back({"Document", -1, "", ""});

    std::map<std::string, int> font_index;  // by file
    for (std::size_t p = 0; p < parts.size(); ++p) {
        CombinedPart& part = parts[p];
        PagedDocument& doc = part.doc;
        std::size_t first_page = out.pages.size();

        std::vector<int> fonts;  // the part's font i is the document's fonts[i]
        for (const FontFile& f : doc.fonts) {
            auto [it, added] = font_index.emplace(f.path, static_cast<int>(out.fonts.size()));
            if (added) out.fonts.push_back(f);
            fonts.push_back(it->second);
        }
        std::vector<int> images;  // the same for images, the same image listed once
        for (const auto& im : doc.images) {
            int index = -1;
            for (std::size_t k = 0; k < out.images.size(); ++k)
                if (out.images[k] == im) index = static_cast<int>(k);
            if (index < 0) {
                index = static_cast<int>(out.images.size());
                out.images.push_back(im);
            }
            images.push_back(index);
        }

        // The part's Document becomes a Part of the combined one; its other nodes follow, moved.
        int offset = static_cast<int>(out.structure.size());
        if (tagged && !doc.structure.empty()) {
            for (std::size_t n = 0; n < doc.structure.size(); ++n) {
                StructNode node = doc.structure[n];
                if (n == 0) {
                    node.type = "Part";
                    node.parent = 0;
                    node.lang = p == 0 ? std::string() : part.lang;
                } else {
                    node.parent += offset;
                }
                out.structure.push_back(std::move(node));
            }
        }
        auto retag = [&](int tag) {
            return tag >= 0 && tagged && !doc.structure.empty() ? tag + offset : tag;
        };

        for (Page& page : doc.pages) {
            for (PageItem& item : page.items)
                std::visit(
                    [&](auto& it) {
                        using T = std::decay_t<decltype(it)>;
                        it.tag = retag(it.tag);
                        if constexpr (std::is_same_v<T, TextItem>)
                            it.font = fonts.at(static_cast<std::size_t>(it.font));
                        else if constexpr (std::is_same_v<T, ImageItem>)
                            it.image = images.at(static_cast<std::size_t>(it.image));
                    },
                    item);
            out.pages.push_back(std::move(page));
        }

        int top = static_cast<int>(out.outline.size());
        out.outline.push_back({part.bookmark, first_page, 0, -1});
        for (Bookmark b : doc.outline) {
            b.page += first_page;
            b.parent = b.parent < 0 ? top : b.parent + top + 1;
            out.outline.push_back(std::move(b));
        }
        out.labels.push_back({first_page, part.label_prefix});
    }
    return out;
}

}  // namespace factsheet
