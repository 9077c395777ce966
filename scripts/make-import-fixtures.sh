#!/bin/sh
# Make the .docx fixtures of `paiban import` with a real writer: LibreOffice converts
# tests/fixtures/import/article.fodt (a flat OpenDocument text, written by hand below
# with Heading, Caption and Strong styles, an embedded PNG and Word-style stray spaces
# between Han characters) to tests/fixtures/import/libreoffice.docx. The .docx is
# committed, so CI needs no LibreOffice; run this again after changing the article.
#   apt-get install -y libreoffice-writer-nogui
set -eu
cd "$(dirname "$0")/.."
out=tests/fixtures/import
png=$(base64 -w0 tests/fixtures/opaque.png)
cat > "$out/article.fodt" <<FODT
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
  xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
  xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
  xmlns:xlink="http://www.w3.org/1999/xlink"
  office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:styles>
  <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:default-outline-level="1"/>
  <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:default-outline-level="2"/>
  <style:style style:name="Caption" style:family="paragraph" style:class="extra"/>
  <style:style style:name="Strong_20_Emphasis" style:display-name="Strong Emphasis" style:family="text">
   <style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"/>
  </style:style>
 </office:styles>
 <office:automatic-styles>
  <style:style style:name="T1" style:family="text"><style:text-properties fo:font-style="italic" style:font-style-asian="italic"/></style:style>
 </office:automatic-styles>
 <office:body>
  <office:text>
   <text:h text:style-name="Heading_20_1" text:outline-level="1">滨江新城 年度 回眸</text:h>
   <text:p>沐浴着和煦的冬日暖阳，行走在滨江新城，一个个繁忙、向上、幸福的场景，汇集成经济社会高质量发展的新图景。</text:p>
   <text:p>2024年，江津区城市建设事务中心深入贯彻落实“人民城市人民建、人民城市为人民”重要理念。</text:p>
   <text:h text:style-name="Heading_20_2" text:outline-level="2">党建为统领</text:h>
   <text:h text:style-name="Heading_20_2" text:outline-level="2">履职担当勇毅“笃行”</text:h>
   <text:p><text:span text:style-name="Strong_20_Emphasis">以学铸魂，夯实思想根基。</text:span>江津区 城市 建设事务中心扎实开展党纪学习教育，开展专题学习18次。</text:p>
   <text:p><draw:frame draw:name="photo" svg:width="40mm" svg:height="30mm" text:anchor-type="as-char"><draw:image><office:binary-data>$png</office:binary-data></draw:image></draw:frame></text:p>
   <text:p text:style-name="Caption">湖光山色宜居新城</text:p>
   <text:h text:style-name="Heading_20_2" text:outline-level="2">经济聚动能</text:h>
   <text:h text:style-name="Heading_20_2" text:outline-level="2">发展活力持续“迸发”</text:h>
   <text:p>招商引资是经济发展的“源头活水”，更是支撑地区高质量发展的<text:span text:style-name="T1">生命线</text:span>。</text:p>
  </office:text>
 </office:body>
</office:document>
FODT
tmp=$(mktemp -d)
soffice --headless -env:UserInstallation=file://"$tmp"/profile --convert-to 'docx:MS Word 2007 XML' --outdir "$tmp" "$out/article.fodt" >/dev/null
mv "$tmp/article.docx" "$out/libreoffice.docx"
rm -rf "$tmp"
echo "wrote $out/libreoffice.docx ($(wc -c < "$out/libreoffice.docx") bytes)"
